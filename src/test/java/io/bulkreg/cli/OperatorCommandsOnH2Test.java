package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class OperatorCommandsOnH2Test extends OperatorCommandsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
