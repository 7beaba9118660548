package io.bulkreg.mcs;

import io.bulkreg.support.TestDatabase;

class SecretsOnPostgresTest extends SecretsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
