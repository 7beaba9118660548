package io.bulkreg.mcs;

import io.bulkreg.support.TestDatabase;

class SecretsOnH2Test extends SecretsSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
