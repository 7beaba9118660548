package io.bulkreg;

import org.flywaydb.core.Flyway;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A rehearsal writes nothing, the database's schema included: `rehearse` on a database whose bulkreg tables are older
 * than this bulkreg leaves them as they are (the command then says so and stops), where every other command migrates
 * them at start-up. A database without bulkreg's tables is created all the same: there is nothing in it to keep, and a
 * new installation's first command may well be a rehearsal.
 */
@Component
class RehearsalKeepsTheSchema implements FlywayMigrationStrategy {

    static final String REHEARSE = "rehearse";

    private final Environment environment;

    RehearsalKeepsTheSchema(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void migrate(Flyway flyway) {
        if (REHEARSE.equals(CommandWord.of(environment))) {
            var info = flyway.info();
            if (info.applied().length > 0 && info.pending().length > 0) {
                // What migrate checks first, the pending migrations apart: a failed or an edited migration stops the
                // start-up as before. RehearseCommand then finds the pending ones and stops before it reads anything.
                Flyway.configure(flyway.getConfiguration().getClassLoader()).configuration(flyway.getConfiguration())
                        .ignoreMigrationPatterns("*:pending").load().validate();
                return;
            }
        }
        flyway.migrate();
    }
}
