package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class RecurringLotFilesOnPostgresTest extends RecurringLotFilesSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
