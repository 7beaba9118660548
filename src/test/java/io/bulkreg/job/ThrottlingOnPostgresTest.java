package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class ThrottlingOnPostgresTest extends ThrottlingSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
