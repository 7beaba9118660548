package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class SafeDefaultsOnPostgresTest extends SafeDefaultsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
