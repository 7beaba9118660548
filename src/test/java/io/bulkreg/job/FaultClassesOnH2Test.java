package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class FaultClassesOnH2Test extends FaultClassesSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
