package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class GracefulStopOnH2IT extends GracefulStopSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
