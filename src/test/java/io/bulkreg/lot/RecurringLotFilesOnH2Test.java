package io.bulkreg.lot;

import io.bulkreg.support.TestDatabase;

class RecurringLotFilesOnH2Test extends RecurringLotFilesSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
