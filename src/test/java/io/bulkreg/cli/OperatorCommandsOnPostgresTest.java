package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class OperatorCommandsOnPostgresTest extends OperatorCommandsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
