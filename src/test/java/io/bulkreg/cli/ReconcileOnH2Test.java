package io.bulkreg.cli;

import io.bulkreg.support.TestDatabase;

class ReconcileOnH2Test extends ReconcileSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
