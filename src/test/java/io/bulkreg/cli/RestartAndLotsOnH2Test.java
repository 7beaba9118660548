package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class RestartAndLotsOnH2Test extends RestartAndLotsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
