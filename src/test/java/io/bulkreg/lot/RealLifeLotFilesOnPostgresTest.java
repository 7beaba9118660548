package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class RealLifeLotFilesOnPostgresTest extends RealLifeLotFilesSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
