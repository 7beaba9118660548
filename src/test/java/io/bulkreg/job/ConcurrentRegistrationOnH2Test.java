package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class ConcurrentRegistrationOnH2Test extends ConcurrentRegistrationSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
