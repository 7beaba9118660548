package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class ConcurrentImportOnPostgresTest extends ConcurrentImportSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
