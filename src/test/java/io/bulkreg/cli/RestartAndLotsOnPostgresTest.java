package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class RestartAndLotsOnPostgresTest extends RestartAndLotsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
