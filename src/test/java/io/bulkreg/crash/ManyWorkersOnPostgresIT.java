package io.bulkreg.crash;

import io.bulkreg.support.TestDatabase;

/** PostgreSQL only: the database several workers share (H2's file belongs to one process, which serves the others). */
class ManyWorkersOnPostgresIT extends ManyWorkersSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
