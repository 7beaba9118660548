package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class BadInputOnH2Test extends BadInputSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
