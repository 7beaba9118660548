package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class FaultClassesOnH2Test extends FaultClassesSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
