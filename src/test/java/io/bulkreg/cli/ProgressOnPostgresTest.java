package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class ProgressOnPostgresTest extends ProgressSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
