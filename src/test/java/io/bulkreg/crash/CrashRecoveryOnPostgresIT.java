package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

class CrashRecoveryOnPostgresIT extends CrashRecoverySpec {

    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
