package io.bulkreg.job;

import io.bulkreg.support.TestDatabase;

class ThrottlingOnH2Test extends ThrottlingSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
