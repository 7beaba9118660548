package io.bulkreg.cli;

import io.bulkreg.job.Rehearsal;
import io.bulkreg.lot.ImportResult;
import io.bulkreg.lot.LotInbox;
import io.bulkreg.lot.LotProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.springframework.beans.factory.ObjectProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rehearse", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  java -jar bulkreg.jar rehearse --file /srv/lots/LOT-2026-11-A.csv"},
        description = "Show what `register` would import, skip and send, without writing or sending anything.")
public class RehearseCommand implements Callable<Integer> {

    @Mixin
    LotSelection selection;

    @Spec
    CommandSpec spec;

    private final Rehearsal rehearsal;
    private final LotProperties lots;
    private final PlatformChoice platforms;
    private final ObjectProvider<Flyway> flyway;

    public RehearseCommand(Rehearsal rehearsal, LotProperties lots, PlatformChoice platforms,
            ObjectProvider<Flyway> flyway) {
        this.rehearsal = rehearsal;
        this.lots = lots;
        this.platforms = platforms;
        this.flyway = flyway;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> olderSchema = olderSchema();
        if (olderSchema.isPresent()) {
            spec.commandLine().getErr().println("bulkreg: " + olderSchema.get());
            return ExitCodes.USAGE;
        }
        if (selection.missingFile().isPresent()) {
            spec.commandLine().getErr().println("No such lot file: " + selection.missingFile().get());
            return ExitCodes.USAGE;
        }
        Path inbox = selection.inbox(lots, platforms.demo(), out);
        List<Path> toRehearse = selection.files;
        if (inbox != null) {
            LotInbox.Listing listing = LotInbox.take(inbox, lots);
            listing.waiting().forEach(w -> out.println("Would not take yet: " + w));
            toRehearse = listing.complete();
        }
        Rehearsal.Report report = rehearsal.rehearse(toRehearse, selection.lot);
        out.println("Rehearsal: nothing was written to the database and nothing was sent.");
        for (ImportResult r : report.imports()) {
            out.println("Import, rehearsed: " + r);
        }
        if (!report.skips().isEmpty()) {
            out.printf("Would not register (%d):%n", report.skips().size());
            report.skips().forEach(s -> out.println("  " + s));
        }
        report.rejectedBeforeSending().forEach(r -> out.println("Would reject before sending: " + r));
        out.printf("Would send %d devices in %d requests of up to %d (each device the platform refuses costs a few "
                + "more requests to isolate it) to %s%n", report.devices(), report.requests(), report.devicesPerRequest(),
                platforms.wouldSendTo());
        report.byLot().forEach((lotId, n) -> out.printf("  %-24s %d devices%n", lotId, n));
        out.flush();
        return ExitCodes.OK;
    }

    /** The database's schema, when it is older than this bulkreg's: a rehearsal leaves it so (start-up did not migrate). */
    private Optional<String> olderSchema() {
        Flyway migrations = flyway.getIfAvailable();
        if (migrations == null) {
            return Optional.empty();
        }
        MigrationInfoService info = migrations.info();
        MigrationInfo[] pending = info.pending();
        if (pending.length == 0 || info.current() == null) {
            return Optional.empty();
        }
        return Optional.of("this database's schema is at version " + info.current().getVersion() + " and this bulkreg "
                + "needs version " + pending[pending.length - 1].getVersion() + ". A rehearsal changes nothing, the "
                + "schema included: rehearse with the bulkreg the database was last run with, or upgrade it first (the "
                + "next `register` does). Nothing was imported or sent.");
    }
}
