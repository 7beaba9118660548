package io.bulkreg.job;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.device.DeviceRules;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.lot.ImportResult;
import io.bulkreg.lot.LotFileChangedException;
import io.bulkreg.lot.LotImporter;
import io.bulkreg.mcs.McsProperties;
import io.bulkreg.registration.PendingDevices;
import io.bulkreg.results.LotReport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A run without consequences: the lot files are imported for real, in a transaction that is then rolled back,
 * so the operator sees exactly what a run would import, skip and send, and nothing is written or sent.
 */
@Component
public class Rehearsal {

    private static final int FETCH = 1000;

    /** What a run would do. {@code byLot}: devices that would be sent, per lot. */
    public record Report(List<ImportResult> imports, List<LotReport.SkipLine> skips, Map<String, Integer> byLot,
            List<String> rejectedBeforeSending, int devicesPerRequest) {

        public int devices() {
            return byLot.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int requests() {
            return (devices() + devicesPerRequest - 1) / devicesPerRequest;
        }
    }

    private final LotImporter importer;
    private final LotReport report;
    private final JdbcClient jdbc;
    private final McsProperties mcs;
    private final NewTransaction transaction;

    public Rehearsal(LotImporter importer, LotReport report, JdbcClient jdbc, McsProperties mcs,
            NewTransaction transaction) {
        this.importer = importer;
        this.report = report;
        this.jdbc = jdbc;
        this.mcs = mcs;
        this.transaction = transaction;
    }

    public Report rehearse(List<Path> files, String lot) {
        return transaction.rolledBack(tx -> {
            long lastSkip = report.lastSkipId();
            List<ImportResult> imports = new ArrayList<>();
            for (Path file : files) {
                Object savepoint = tx.createSavepoint();
                try {
                    imports.add(importer.importWithin(file, null));
                    tx.releaseSavepoint(savepoint);
                } catch (LotFileChangedException e) {
                    tx.rollbackToSavepoint(savepoint);
                    imports.add(new ImportResult(file.toString(), ImportResult.Outcome.NOT_TAKEN_YET, 0, 0, 0, 0, 0,
                            null, e.getMessage()));
                } catch (UncheckedIOException e) {
                    // As a run: one file that cannot be read is named, the others are rehearsed.
                    tx.rollbackToSavepoint(savepoint);
                    imports.add(new ImportResult(file.toString(), ImportResult.Outcome.NOT_TAKEN_YET, 0, 0, 0, 0, 0,
                            null, file + ": cannot be read (" + e.getCause() + "): a run would not import it"));
                }
            }
            List<LotReport.SkipLine> skips = report.skipsAfter(lastSkip);
            Map<String, Integer> byLot = new TreeMap<>();
            List<String> rejected = new ArrayList<>();
            eachPending(lot, d -> {
                var violation = DeviceRules.check(d);
                if (violation.isPresent()) {
                    rejected.add("row " + d.id() + " of lot " + d.lotId() + ": " + violation.get());
                } else {
                    byLot.merge(d.lotId(), 1, Integer::sum);
                }
            });
            return new Report(imports, skips, byLot, rejected, mcs.effectiveDevicesPerRequest());
        });
    }

    /**
     * The pending devices one at a time, read a page of {@link #FETCH} rows at a time (in the rehearsal's transaction,
     * which PostgreSQL needs for a cursor): a lot of a million devices is counted, never held in memory.
     */
    private void eachPending(String lot, Consumer<DeviceRow> each) {
        PendingDevices pending = PendingDevices.of(lot);
        int[] n = {0};
        jdbc.sql(pending.select(DeviceRow.COLUMNS)).params(pending.parameters()).withFetchSize(FETCH)
                .query(rs -> {
                    each.accept(DeviceRow.fromRow(rs, n[0]++));
                });
    }
}
