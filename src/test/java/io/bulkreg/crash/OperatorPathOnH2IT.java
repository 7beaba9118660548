package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class OperatorPathOnH2IT extends OperatorPathSpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
