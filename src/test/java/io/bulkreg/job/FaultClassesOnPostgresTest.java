package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class FaultClassesOnPostgresTest extends FaultClassesSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
