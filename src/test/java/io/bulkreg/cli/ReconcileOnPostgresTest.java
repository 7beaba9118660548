package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class ReconcileOnPostgresTest extends ReconcileSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
