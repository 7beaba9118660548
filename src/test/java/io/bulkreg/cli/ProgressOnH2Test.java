package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class ProgressOnH2Test extends ProgressSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
