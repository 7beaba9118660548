package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class OperatorPathOnPostgresIT extends OperatorPathSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
