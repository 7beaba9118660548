package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class BadInputOnPostgresTest extends BadInputSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
