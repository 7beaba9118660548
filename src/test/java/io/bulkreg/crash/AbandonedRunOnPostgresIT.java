package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class AbandonedRunOnPostgresIT extends AbandonedRunSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
