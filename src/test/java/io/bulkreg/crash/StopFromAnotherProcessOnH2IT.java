package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class StopFromAnotherProcessOnH2IT extends StopFromAnotherProcessSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
