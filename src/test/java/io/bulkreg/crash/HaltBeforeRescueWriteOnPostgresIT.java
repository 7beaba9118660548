package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.registration.ProtocolPoint;
import io.bulkreg.sandbox.SentDevice;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one window the rescue file cannot cover: the database refused an answer's credentials for the last time and the
 * process dies before the rescue file is written (halted at {@link ProtocolPoint#BEFORE_RESCUE_WRITE}, as SIGKILL
 * would). The keys are gone with the process; what must hold is that its devices are flagged IN_DOUBT under their
 * request by the next run and never sent again. The database refuses the credentials through a trigger: PostgreSQL
 * only.
 */
class HaltBeforeRescueWriteOnPostgresIT extends ChildJobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }

    @Override
    String name() {
        return "halt-before-rescue-write-it";
    }

    @Override
    Duration latency() {
        return Duration.ZERO;
    }

    /** One request at a time: the halt lands on the first request's answer, nothing else is in flight. */
    @Override
    int concurrency() {
        return 1;
    }

    @Test
    void givenTheDatabaseRefusesTheKeysAndTheProcessDiesBeforeTheRescueFile_whenTheNextRunStarts_thenTheDevicesAreInDoubtAndNoneIsSentTwice()
            throws Exception {
        Path lot = LotCsv.lot("LOT-RESCUE-HALT").devices("prod-r", 20).write(dir);
        db.migrate();
        db.read(j -> {
            j.execute("CREATE FUNCTION refuse_keys() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'keys refused by the test'; "
                    + "END $$ LANGUAGE plpgsql");
            j.execute("CREATE TRIGGER refuse_keys BEFORE UPDATE ON device_registration FOR EACH ROW "
                    + "WHEN (NEW.status = 'REGISTERED') EXECUTE FUNCTION refuse_keys()");
            return null;
        });

        Process halted = JobProcess.builder(dir, db, sandbox, settings, Map.of("bulkreg.mcs.devices-per-request", 10,
                        "bulkreg.concurrency", 1, "bulkreg.faults.store-attempts", 1),
                List.of("-D" + ProtocolPoint.PROPERTY + "=" + ProtocolPoint.BEFORE_RESCUE_WRITE + ":1"),
                dir.resolve("run-1.log").toFile(), "register", "--file", lot.toString()).start();
        assertThat(halted.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String firstOutput = Files.readString(dir.resolve("run-1.log"));
        assertThat(halted.exitValue()).as(firstOutput).isEqualTo(ProtocolPoint.HALTED);
        assertThat(firstOutput).contains("protocol point BEFORE_RESCUE_WRITE hit 1: halting")
                .doesNotContain("protocol point BEFORE_STORE_COMMIT");
        assertThat(rescueFiles()).as("halted before the rescue file").isEmpty();
        assertThat(sandbox.requestCount()).isEqualTo(1);

        db.read(j -> {
            j.execute("DROP TRIGGER refuse_keys ON device_registration");
            return null;
        });
        Process next = job("run-2.log", "register");
        assertThat(next.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("run-2.log"));

        assertThat(next.exitValue()).as(output).isEqualTo(ExitCodes.ATTENTION);
        List<String> inDoubtRequests = db.read(j -> j.queryForList("SELECT d.request_id FROM device_registration d "
                + "JOIN registration_skip s ON s.registration_id = d.id AND s.kind = 'IN_DOUBT' "
                + "WHERE d.status = 'IN_DOUBT' AND s.error_description LIKE '%' || d.request_id || '%'", String.class));
        assertThat(inDoubtRequests).as(output).hasSize(10).containsOnly(inDoubtRequests.get(0));
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(10);
        assertThat(sandbox.sendsPerDevice()).as("sends per device").hasSize(20)
                .allSatisfy((SentDevice device, Integer sends) -> assertThat(sends).as(device.toString()).isEqualTo(1));
    }

    private List<Path> rescueFiles() throws IOException {
        Path rescue = dir.resolve("data").resolve("rescue");
        if (!Files.isDirectory(rescue)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(rescue)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
