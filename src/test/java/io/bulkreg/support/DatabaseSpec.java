package io.bulkreg.support;

import org.junit.jupiter.params.Parameter;

/**
 * A spec that runs once per database: annotate the concrete class {@link OnEveryDatabase}, and the database of the
 * current run is injected here.
 */
public abstract class DatabaseSpec {

    @Parameter
    private TestDatabase.Kind database;

    protected TestDatabase.Kind database() {
        if (database == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " names no database: annotate it @OnEveryDatabase");
        }
        return database;
    }
}
