package io.bulkreg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;

/**
 * The views of V6 and the files of sql/queries/ as an operator runs them, parameters as psql -v variables,
 * on the rows that real runs of the job leave behind: through the real psql on PostgreSQL, the variables
 * substituted in code on H2.
 */
@OnEveryDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)   // one night of runs, read by every test (on each database)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorQueriesSpec extends JobSpec {

    static final String DONE = "LOT-Q-A";      // 4 registered, 2 refused by the platform, 1 line refused for its serial
    static final String DOUBT = "LOT-Q-B";     // 5 registered, 5 in doubt
    static final String UPSTREAM = "LOT-Q-C";  // 2 pending, inserted by an upstream system after the runs
    static final String HELD = "LOT-Q-D";      // 1 the platform already held (one test's own, removed after it)

    long doneRun;
    long doubtRun;
    Path doneFile;

    /** Runs {@code sql/queries/<file>} with the given psql variables; rows of column name to text ("" for NULL). */
    List<Map<String, String>> query(String file, Map<String, String> variables) {
        return database() == TestDatabase.Kind.POSTGRES ? PsqlQuery.run(db, file, variables)
                : SubstitutedQuery.run(jdbc(), file, variables);
    }

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withRejectNamesContaining("REFUSE-ME");
    }

    /** The first run of all migrates the empty database, as on a new installation (the other specs start migrated). */
    @Override
    protected boolean startsFromAnEmptyDatabase() {
        return true;
    }

    /** The night every test reads, run once before the first test on each database. */
    @BeforeEach
    void aNightOfRunsOnce() {
        if (doneRun == 0) {
            aNightOfRuns();
        }
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    void endOfTheNight() {
        stopPlatformAndDatabase();
        doneRun = 0;
    }

    /** Two nightly runs and an upstream insert: a lot done with rejections, a lot with devices in doubt, a lot pending. */
    void aNightOfRuns() {
        LotCsv done = LotCsv.lot(DONE).devices("prod-q", 4);
        done.device("prod-q", "REFUSE-ME 1", "false", "QA9001", "x");
        done.device("prod-q", "REFUSE-ME 2", "false", "QA9002", "x");
        done.device("prod-q", "Bad serial", "false", "Q-A-9003", "x");
        doneFile = done.write(dir);
        assertThat(run(properties(), "register", "--file", doneFile.toString()).exitCode()).isEqualTo(ExitCodes.OK);
        doneRun = lastRun();

        Path doubt = LotCsv.lot(DOUBT).devices("prod-q", 10).write(dir);
        sandbox.arm(SandboxFault.Status.of(500), 1);   // the first request of 5 ends in doubt
        assertThat(run(fivePerRequest(), "register", "--file", doubt.toString()).exitCode()).isEqualTo(ExitCodes.ATTENTION);
        doubtRun = lastRun();

        jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) "
                + "VALUES (?, 'prod-q', 'Upstream 1', FALSE, 'QC0001', 'PENDING'), (?, 'prod-q', 'Upstream 2', FALSE, 'QC0002', 'PENDING')",
                UPSTREAM, UPSTREAM);
    }

    Map<String, Object> fivePerRequest() {
        Map<String, Object> p = properties();
        p.put("bulkreg.mcs.devices-per-request", "5");
        return p;
    }

    long lastRun() {
        return count("SELECT MAX(job_execution_id) FROM batch_job_execution");
    }

    static List<String> column(List<Map<String, String>> rows, String name) {
        return rows.stream().map(r -> r.get(name)).toList();
    }

    @Test
    void givenANight_whenResultsOfLotAreQueriedForOneLot_thenEveryDeviceOfThatLotAndWhyTheRefusedOnesWereRefused() {
        List<Map<String, String>> rows = query("results-of-lot.sql", Map.of("lot", DONE));

        assertThat(column(rows, "name")).containsExactly("Device 1", "Device 2", "Device 3", "Device 4", "REFUSE-ME 1", "REFUSE-ME 2");
        assertThat(column(rows, "status")).containsExactly("REGISTERED", "REGISTERED", "REGISTERED", "REGISTERED", "REJECTED", "REJECTED");
        assertThat(rows.get(0).get("device_id")).isNotEmpty();
        assertThat(rows.get(0).get("error_code")).isEmpty();
        assertThat(rows.get(4)).containsEntry("skip_kind", "API").containsEntry("http_status", "400").containsEntry("error_code", "4022");
        assertThat(rows.get(4).get("source")).isEqualTo(doneFile + ":6");
    }

    @Test
    void givenANight_whenRejectedByCodeIsQueried_thenTheRefusedDevicesOfTheLotUnderThePlatformsCode() {
        List<Map<String, String>> rows = query("rejected-by-code.sql", Map.of("lot", DONE));

        assertThat(column(rows, "name")).containsExactly("REFUSE-ME 1", "REFUSE-ME 2");
        assertThat(column(rows, "error_code")).containsOnly("4022");
        assertThat(column(rows, "devices_with_code")).containsOnly("2");
        assertThat(query("rejected-by-code.sql", Map.of("lot", DOUBT))).isEmpty();
    }

    @Test
    void givenANight_whenDevicesInDoubtAreQueried_thenTheFiveOfTheFailedRequestWithWhenItWasSent() {
        List<Map<String, String>> rows = query("devices-in-doubt.sql", Map.of());

        assertThat(rows).hasSize(5);
        assertThat(column(rows, "lot_id")).containsOnly(DOUBT);
        assertThat(column(rows, "job_execution_id")).containsOnly(String.valueOf(doubtRun));
        assertThat(column(rows, "http_status")).containsOnly("500");
        assertThat(column(rows, "sent_at")).allSatisfy(s -> assertThat(s).isNotEmpty());
        assertThat(column(rows, "request_id").stream().distinct()).hasSize(1);
    }

    @Test
    void givenANight_whenRunSummaryIsQueriedForTheSecondRun_thenItShowsThatRunsLotAndFiguresOnly() {
        List<Map<String, String>> rows = query("run-summary.sql", Map.of("run", String.valueOf(doubtRun)));

        assertThat(rows).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("run", String.valueOf(doubtRun)).containsEntry("run_status", "COMPLETED")
                .containsEntry("lot_id", DOUBT).containsEntry("devices", "10").containsEntry("registered", "5")
                .containsEntry("in_doubt", "5").containsEntry("rejected", "0"));
        assertThat(query("run-summary.sql", Map.of("run", String.valueOf(doneRun))))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("lot_id", DONE).containsEntry("rejected", "2"));
    }

    @Test
    void givenANight_whenRequestsOfRunAreQueried_thenTheRequestsOfThatRunOnlyWithTheirOutcome() {
        List<Map<String, String>> rows = query("requests-of-run.sql", Map.of("run", String.valueOf(doubtRun)));

        assertThat(column(rows, "outcome")).containsExactlyInAnyOrder("IN_DOUBT", "REGISTERED");
        assertThat(column(rows, "device_count")).containsOnly("5");
        List<Map<String, String>> firstRun = query("requests-of-run.sql", Map.of("run", String.valueOf(doneRun)));
        assertThat(column(firstRun, "outcome")).contains("REGISTERED", "REJECTED").doesNotContain("IN_DOUBT");
        assertThat(column(firstRun, "request_id")).doesNotContainAnyElementsOf(column(rows, "request_id"));
    }

    @Test
    void givenANight_whenLotsPendingAreQueried_thenTheLotsWithWorkLeftAndNotTheLotThatIsDone() {
        List<Map<String, String>> rows = query("lots-pending.sql", Map.of());

        assertThat(column(rows, "lot_id")).containsExactly(DOUBT, UPSTREAM);
        assertThat(rows.get(0)).containsEntry("in_doubt", "5").containsEntry("pending", "0").containsEntry("total", "10");
        assertThat(rows.get(1)).containsEntry("pending", "2").containsEntry("in_doubt", "0");
    }

    @Test
    void givenANight_whenCredentialsOfLotAreQueried_thenTheRegisteredDevicesOfThatLotWithTheirKeys() {
        List<Map<String, String>> rows = query("credentials-of-lot.sql", Map.of("lot", DONE));

        assertThat(column(rows, "name")).containsExactly("Device 1", "Device 2", "Device 3", "Device 4");
        assertThat(column(rows, "device_key")).allSatisfy(k -> assertThat(k).isNotEmpty());
        assertThat(query("credentials-of-lot.sql", Map.of("lot", "LOT-2026-11-A"))).isEmpty();
    }

    @Test
    void givenANight_whenSkipsByErrorCodeAreQueried_thenEachLotsErrorsCountedWithAnExample() {
        List<Map<String, String>> rows = query("skips-by-error-code.sql", Map.of());

        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("lot_id", DOUBT).containsEntry("kind", "IN_DOUBT")
                .containsEntry("occurrences", "5").containsEntry("unresolved", "5"));
        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("lot_id", DONE).containsEntry("kind", "API")
                .containsEntry("error_code", "4022").containsEntry("occurrences", "2").containsEntry("unresolved", "0"));
        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("lot_id", DONE).containsEntry("kind", "VALIDATION")
                .containsEntry("occurrences", "1").containsEntry("example_source", doneFile + ":8"));
        assertThat(rows.get(0)).containsEntry("occurrences", "5");
    }

    @Test
    void givenANightAndADeviceThePlatformAlreadyHolds_whenResultsPerLotIsQueried_thenItGivesReportsFiguresForEveryLot() {
        // A device resent after a doubt and refused as already registered, as the job records it: REJECTED, its last
        // skip HELD_BY_PLATFORM (OperatorCommandsSpec runs that path); removed again for the other tests.
        jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, status) "
                + "VALUES (?, 'prod-q', 'Held 1', FALSE, 'QD0001', 'REJECTED')", HELD);
        long held = count("SELECT id FROM device_registration WHERE lot_id = ?", HELD);
        jdbc().update("INSERT INTO registration_skip (kind, lot_id, registration_id, http_status, error_code, "
                + "error_description) VALUES ('IN_DOUBT', ?, ?, 500, NULL, 'in doubt'), "
                + "('HELD_BY_PLATFORM', ?, ?, 400, 4014, 'serial already registered')", HELD, held, HELD, held);
        try {
            List<Map<String, String>> rows = query("results-per-lot.sql", Map.of());
            String report = run(properties(), "report", "--format", "csv").output();

            assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("lot_id", HELD)
                    .containsEntry("rejected", "0").containsEntry("held_by_platform", "1"));
            assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("lot_id", DONE)
                    .containsEntry("rejected", "2").containsEntry("held_by_platform", "0"));
            for (Map<String, String> r : rows) {
                assertThat(report).as("report's line of " + r.get("lot_id")).contains(String.join(",", r.get("lot_id"),
                        r.get("total"), r.get("registered"), r.get("rejected"), r.get("held_by_platform"),
                        r.get("in_doubt"), r.get("pending"), r.get("in_flight")) + ",");
            }
        } finally {
            jdbc().update("DELETE FROM registration_skip WHERE lot_id = ?", HELD);
            jdbc().update("DELETE FROM device_registration WHERE lot_id = ?", HELD);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)   // last: it settles the doubt that the other tests read
    void givenDevicesInDoubtResentAndRegistered_whenResultsAreQueried_thenTheyShowNoErrorAndNoDoubtIsLeftUnresolved() {
        run(fivePerRequest(), "resolve-in-doubt", "--lot", DOUBT, "--resend");
        assertThat(run(fivePerRequest(), "register", "--lot", DOUBT).exitCode()).isEqualTo(ExitCodes.OK);

        List<Map<String, String>> rows = query("results-of-lot.sql", Map.of("lot", DOUBT));

        assertThat(column(rows, "status")).hasSize(10).containsOnly("REGISTERED");
        assertThat(column(rows, "skip_kind")).containsOnly("");
        assertThat(query("skips-by-error-code.sql", Map.of())).anySatisfy(r -> assertThat(r)
                .containsEntry("lot_id", DOUBT).containsEntry("occurrences", "5").containsEntry("unresolved", "0"));
    }

    @Test
    void givenTheResultView_whenItsColumnsAreRead_thenTheDeviceKeyIsNotAmongThem() {
        List<Map<String, Object>> rows = jdbc().queryForList("SELECT * FROM registration_result");

        assertThat(rows).hasSize(18);
        assertThat(rows.get(0).keySet()).map(String::toLowerCase).doesNotContain("device_key").contains("device_id", "status");
    }
}
