package io.bulkreg.registration;

import io.bulkreg.support.TestDatabase;

class WorkersOnOneDatabaseOnH2Test extends WorkersOnOneDatabaseSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
