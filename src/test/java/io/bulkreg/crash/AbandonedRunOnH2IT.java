package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class AbandonedRunOnH2IT extends AbandonedRunSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
