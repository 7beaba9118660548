package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class RegistrationJobOnH2Test extends RegistrationJobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
