package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class StopFromAnotherProcessOnPostgresIT extends StopFromAnotherProcessSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
