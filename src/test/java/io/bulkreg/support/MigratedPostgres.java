package io.bulkreg.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated PostgreSQL schema of its own for each test, dropped after it; the test is skipped, saying so, where no
 * PostgreSQL is configured. Register it as a field: {@code @RegisterExtension final MigratedPostgres postgres = ...}.
 */
public final class MigratedPostgres implements BeforeEachCallback, AfterEachCallback {

    private TestDatabase db;

    @Override
    public void beforeEach(ExtensionContext context) {
        db = TestDatabase.create(TestDatabase.Kind.POSTGRES).migrated();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    /** This test's database. */
    public TestDatabase db() {
        return db;
    }
}
