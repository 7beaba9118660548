package io.bulkreg.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spec's database starts as a copy of a migrated template ({@link MigratedTemplates}): it must be what Flyway's
 * migrations make, views included, as the job reads them ({@code report} counts through {@code registration_result}).
 */
@OnEveryDatabase
class MigratedCopySpec extends DatabaseSpec {

    @Test
    void givenACopyOfTheMigratedTemplate_whenItsViewsAreRead_thenTheyHaveTheColumnsFlywaysMigrationsGiveThem() {
        try (TestDatabase migrated = TestDatabase.create(database()).migratedByFlyway();
                TestDatabase copy = TestDatabase.create(database()).migrated()) {
            for (String view : List.of("registration_result", "registration_error_summary")) {
                assertThat(columnsOf(copy, view)).as(view + " in the copy").isNotEmpty()
                        .isEqualTo(columnsOf(migrated, view));
            }
        }
    }

    private static List<String> columnsOf(TestDatabase db, String view) {
        return db.jdbc().query("SELECT * FROM " + view + " WHERE 1 = 0", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i).toLowerCase());
            }
            return columns;
        });
    }
}
