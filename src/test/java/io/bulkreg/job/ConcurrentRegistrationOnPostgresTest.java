package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class ConcurrentRegistrationOnPostgresTest extends ConcurrentRegistrationSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
