package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.sandbox.SentDevice;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Several requests in flight (bulkreg.concurrency 8, local partitions) against the sandbox over HTTP: every device
 * sent once and stored with its key, culprits still isolated, a failed run restarted. Runs once per database.
 */
@OnEveryDatabase
class ConcurrentRegistrationSpec extends JobSpec {

    static final int CONCURRENCY = 8;

    /** The most POSTs the sandbox was handling at once. */
    final AtomicInteger mostInFlight = new AtomicInteger();

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withLatency(Duration.ofMillis(20)).withRejectNamesContaining("REFUSE-ME");
    }

    void countRequestsInFlight() {
        AtomicInteger inFlight = new AtomicInteger();
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }

            @Override
            public void answered(int requestNo, int status) {
                inFlight.decrementAndGet();
            }
        });
    }

    Map<String, Object> atConcurrency8(Object... extra) {
        Map<String, Object> p = properties(extra);
        p.put("bulkreg.concurrency", Integer.toString(CONCURRENCY));
        return p;
    }

    /** {@code count} devices, every third without a serial (the platform would not refuse those a second time). */
    static LotCsv mixedLot(String lot, int count) {
        LotCsv csv = LotCsv.lot(lot);
        for (int i = 1; i <= count; i++) {
            csv.device("prod-p", "Unit " + i, i % 3 == 0 ? "true" : "false", i % 3 == 0 ? null : "P" + i, null);
        }
        return csv;
    }

    /** 80 devices, the platform refusing four of them (Unit 19, 38, 57, 76: serials Q19, Q38, Q57, Q76). */
    static LotCsv lotWithCulprits(String lot) {
        LotCsv csv = LotCsv.lot(lot);
        for (int i = 1; i <= 80; i++) {
            csv.device("prod-q", i % 19 == 0 ? "Unit " + i + " REFUSE-ME" : "Unit " + i, "false", "Q" + i, null);
        }
        return csv;
    }

    void assertEveryDeviceStoredWithTheKeyTheSandboxIssued() {
        Map<String, SandboxDevice> byName = sandbox.devices().stream()
                .collect(Collectors.toMap(SandboxDevice::name, Function.identity()));   // throws on a name twice
        for (SandboxDevice device : byName.values()) {
            assertThat(jdbc().queryForMap("SELECT status, device_id, device_key FROM device_registration WHERE name = ?",
                    device.name())).containsEntry("status", "REGISTERED").containsEntry("device_id", device.deviceId())
                    .containsEntry("device_key", device.deviceKey());
        }
    }

    @Test
    void givenALotAtConcurrency8_whenRegistered_thenEveryDeviceIsSentExactlyOnceAndHoldsItsKey() {
        Path lot = mixedLot("LOT-PAR-1", 600).write(dir);
        countRequestsInFlight();

        CliRun.Result run = run(atConcurrency8("bulkreg.mcs.devices-per-request", "10"), "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        Map<SentDevice, Integer> sends = sandbox.sendsPerDevice();
        assertThat(sends).hasSize(600);
        assertThat(sends.values()).as("sends per device").containsOnly(1);
        assertThat(sandbox.devices()).hasSize(600);
        assertEveryDeviceStoredWithTheKeyTheSandboxIssued();
        // Seen from the sandbox: it counts an answer once written, so the requests of the 2 spare partitions, sent as
        // soon as answers free their places, can arrive just before those answers are counted out; the cap itself is
        // SendPermits' (SendPermitsTest).
        assertThat(mostInFlight.get()).as("requests in flight at once").isBetween(2, CONCURRENCY + 2);
        assertThat(count("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'registerShare%' "
                + "AND STATUS = 'COMPLETED'")).as("partitions: the 8 places at the platform and 2 spare").isEqualTo(10);
    }

    @Test
    void givenALotOfManyRequests_whenRegistered_thenEachPartitionWritesItsProgressAboutOnceASecondNotOnceARequest() {
        Path lot = mixedLot("LOT-PAR-4", 400).write(dir);

        CliRun.Result run = run(atConcurrency8("bulkreg.mcs.devices-per-request", "5"), "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.requestCount()).isEqualTo(80);
        long progressWrites = jdbc().queryForObject("SELECT SUM(COMMIT_COUNT) FROM BATCH_STEP_EXECUTION "
                + "WHERE STEP_NAME LIKE 'registerShare%'", Long.class);
        assertThat(progressWrites).as("the partitions' progress written to the job repository").isLessThan(40);
    }

    @Test
    void givenCulpritsInSeveralPartitions_whenRegisteredAtConcurrency8_thenSplittingRejectsOnlyThem() {
        Path lot = lotWithCulprits("LOT-PAR-2").write(dir);

        CliRun.Result run = run(atConcurrency8("bulkreg.mcs.devices-per-request", "5"), "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(jdbc().queryForList("SELECT serial FROM device_registration WHERE status = 'REJECTED' ORDER BY id",
                String.class)).containsExactly("Q19", "Q38", "Q57", "Q76");
        assertThat(skips("API")).isEqualTo(4);
        assertThat(sandbox.devices()).hasSize(76);
        assertEveryDeviceStoredWithTheKeyTheSandboxIssued();
    }

    @Test
    void givenCulpritsInSeveralPartitions_whenRegisteredAtConcurrency8_thenTheStepCountsReadWrittenAndSkippedDevices() {
        Path lot = lotWithCulprits("LOT-PAR-5").write(dir);

        CliRun.Result run = run(atConcurrency8("bulkreg.mcs.devices-per-request", "5"), "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        // The partitioned step sums its partitions' counters: devices claimed, stored with their keys, refused.
        assertThat(jdbc().queryForMap("SELECT STATUS, READ_COUNT, WRITE_COUNT, WRITE_SKIP_COUNT FROM BATCH_STEP_EXECUTION "
                + "WHERE STEP_NAME = 'registerPending'")).containsEntry("STATUS", "COMPLETED").containsEntry("READ_COUNT", 80L)
                .containsEntry("WRITE_COUNT", 76L).containsEntry("WRITE_SKIP_COUNT", 4L);
        if (database() == TestDatabase.Kind.POSTGRES) {
            // The recovery step refreshed the claims' statistics after the import (ClaimStatistics): the planner
            // knows the lot's rows, not the empty table the migration left.
            assertThat(jdbc().queryForObject("SELECT reltuples::bigint FROM pg_class "
                    + "WHERE oid = 'device_registration'::regclass", Long.class)).isEqualTo(80L);
        }
    }

    @Test
    void givenARunWhosePartitionsFailHalfway_whenRestarted_thenTheRestIsRegisteredAndNoDeviceTwice() {
        Path lot = mixedLot("LOT-PAR-3", 200).write(dir);
        sandbox.arm(new SandboxFault.Hang(Duration.ZERO), 12);   // twelve requests answered normally,
        sandbox.arm(SandboxFault.Status.of(503), CONCURRENCY);   // then unavailable to one request per partition
        Map<String, Object> props = atConcurrency8("bulkreg.mcs.devices-per-request", "5", "bulkreg.faults.max-attempts", "1");

        CliRun.Result first = run(props, "register", "--file", lot.toString());

        assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(devices("REGISTERED")).isEqualTo(sandbox.devices().size()).isBetween(1L, 199L);
        assertThat(devices("IN_FLIGHT") + devices("IN_DOUBT")).isZero();
        long failed = jdbc().queryForObject("SELECT MAX(job_execution_id) FROM BATCH_JOB_EXECUTION", Long.class);

        // 503s the first run did not meet wait for the restart: more attempts than there can be left
        CliRun.Result second = run(atConcurrency8("bulkreg.mcs.devices-per-request", "5", "bulkreg.faults.max-attempts",
                Integer.toString(CONCURRENCY + 1)), "restart", Long.toString(failed));

        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(200);
        assertEveryDeviceStoredWithTheKeyTheSandboxIssued();
        List<String> statuses = jdbc().queryForList("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID",
                String.class);
        assertThat(statuses).containsExactly("FAILED", "COMPLETED");
    }
}
