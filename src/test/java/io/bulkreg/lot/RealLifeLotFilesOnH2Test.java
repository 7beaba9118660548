package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class RealLifeLotFilesOnH2Test extends RealLifeLotFilesSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
