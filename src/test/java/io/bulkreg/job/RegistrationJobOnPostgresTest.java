package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class RegistrationJobOnPostgresTest extends RegistrationJobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
