package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class SafeDefaultsOnH2Test extends SafeDefaultsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
