package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class FaultClassesOnPostgresTest extends FaultClassesSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
