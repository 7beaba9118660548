package io.bulkreg.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run killed outright leaves its execution STARTED: the next nightly run must not be blocked by it, must
 * recover it, say so, and flag the devices that were in flight. Runs once per database.
 */
@OnEveryDatabase
class AbandonedRunIT extends ChildJobSpec {

    @Override
    String name() {
        return "abandoned-run-it";
    }

    @Override
    Duration latency() {
        return Duration.ofMillis(300);
    }

    /** One request in flight, so that the kill leaves exactly that request's ten devices in doubt. */
    @Override
    int concurrency() {
        return 1;
    }

    @Test
    void givenARunKilledWithARequestInFlight_whenTheNextRunStarts_thenItRecoversTheExecutionSaysSoAndFlagsThoseDevices()
            throws Exception {
        Path lot = LotCsv.lot("LOT-KILL").devices("prod-k", 50).write(dir);
        CountDownLatch secondRequest = new CountDownLatch(2);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                secondRequest.countDown();
            }
        });
        Process first = job("run-1.log", "register", "--file", lot.toString());
        assertThat(secondRequest.await(60, TimeUnit.SECONDS)).isTrue();
        first.destroyForcibly();   // SIGKILL while the second request is in flight
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(settings.latency().toMillis() * 2);   // the sandbox finishes the orphaned request
        sandbox.setListener(null);

        Process next = job("run-2.log", "register");

        assertThat(next.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("run-2.log"));
        assertThat(output).containsPattern("Recovered job execution 1 left STARTED \\(process \\d+ on .+ is gone\\)");
        assertThat(next.exitValue()).isEqualTo(ExitCodes.ATTENTION);
        List<String> statuses = db.read(j -> j.queryForList(
                "SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID", String.class));
        assertThat(statuses).containsExactly("FAILED", "COMPLETED");
        List<String> inDoubt = db.read(j -> j.queryForList("SELECT d.request_id FROM device_registration d "
                + "JOIN registration_skip s ON s.registration_id = d.id AND s.kind = 'IN_DOUBT' "
                + "WHERE d.status = 'IN_DOUBT' AND s.error_description LIKE '%' || d.request_id || '%'", String.class));
        assertThat(inDoubt).hasSize(10).containsOnly(inDoubt.get(0));
        Integer registered = db.read(j -> j.queryForObject(
                "SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'", Integer.class));
        assertThat(registered).isEqualTo(40);
    }
}
