package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class CrashRecoveryOnH2IT extends CrashRecoverySpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
