package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class ConcurrentImportOnH2Test extends ConcurrentImportSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
