package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class GracefulStopOnPostgresIT extends GracefulStopSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
