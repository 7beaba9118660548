package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A run whose output goes to a log, as under cron: how far it is, how fast it goes, how long it took. */
@OnEveryDatabase
class ProgressSpec extends JobSpec {

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withLatency(Duration.ofMillis(150));
    }

    @Test
    void givenARunWithoutATerminal_whenItGoesOn_thenALogLineEveryIntervalSaysDoneOfTotalRateRejectedInDoubtAndEta() {
        Path lot = LotCsv.lot("LOT-P-1").devices("prod-p", 60).write(dir);

        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.progress.interval", "300ms"),
                "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).containsPattern(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  RunWatch - Progress: \\d+ of 60 devices \\(\\d+%\\), "
                        + "\\d+\\.\\d devices/s, 0 rejected, 0 in doubt, ETA ");
    }

    @Test
    void givenDevicesAlreadyDoneAtTheFirstLook_whenTheProgressLineIsOut_thenItsRateIsTheRunsNotTheDevicesOverAnInstant() {
        Path lot = LotCsv.lot("LOT-P-4").devices("prod-p", 120).write(dir);   // 24 requests of 150 ms, one at a time

        // The first look comes two seconds in, when devices are done already (asserted below).
        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.progress.interval", "2s"),
                "register", "--file", lot.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        Matcher line = Pattern.compile("Progress: (\\d+) of 120 devices \\(\\d+%\\), (\\d+\\.\\d) devices/s").matcher(run.output());
        double most = 5 / 0.150;   // one request of 5 devices in flight, each answered after 150 ms at the earliest
        int lines = 0;
        while (line.find()) {
            if (lines == 0) {
                assertThat(Long.parseLong(line.group(1))).as("devices done at the first look: " + line.group()).isPositive();
            }
            lines++;
            assertThat(Double.parseDouble(line.group(2))).as("the rate of \"" + line.group() + "\"").isLessThanOrEqualTo(most);
        }
        assertThat(lines).as("progress lines:\n" + run.output()).isPositive();
    }

    @Test
    void givenASlowPlatform_whileTheRunGoesOn_thenAProgressLineWithACountAndARateIsAlreadyOut() throws Exception {
        Path lot = LotCsv.lot("LOT-P-3").devices("prod-p", 120).write(dir);   // 24 requests of 150 ms, one at a time
        LiveOutput live = new LiveOutput();
        PrintStream original = System.out;
        System.setOut(live);   // CliRun tees the run's output to the System.out it finds: this one
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<CliRun.Result> run = runner.submit(() -> run(properties("bulkreg.mcs.devices-per-request", "5",
                    "bulkreg.progress.interval", "300ms"), "register", "--file", lot.toString()));
            Pattern progress = Pattern.compile("RunWatch - Progress: (\\d+) of 120 devices \\(\\d+%\\), (\\d+\\.\\d) devices/s");
            Matcher seen = null;
            boolean runStillGoing = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen == null && !run.isDone() && System.nanoTime() < deadline) {
                Matcher m = progress.matcher(live.text());
                while (m.find()) {
                    // The first look may come before the first answer (0 of 120, 0.0 devices/s): wait for one that counts.
                    if (Long.parseLong(m.group(1)) > 0) {
                        seen = m;
                        runStillGoing = !run.isDone();
                        break;
                    }
                }
                Thread.sleep(20);
            }
            CliRun.Result result = run.get(60, TimeUnit.SECONDS);

            assertThat(seen).as("a progress line before the run ended:\n" + result.output()).isNotNull();
            assertThat(runStillGoing).as("the run was still going when the line was out").isTrue();
            assertThat(Long.parseLong(seen.group(1))).as("devices done").isPositive().isLessThan(120);
            assertThat(Double.parseDouble(seen.group(2))).as("devices/s").isPositive();
            assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(original);
            runner.shutdownNow();
        }
    }

    /** Standard output as it is written, readable while it is. */
    private static final class LiveOutput extends PrintStream {
        private final StringBuffer text = new StringBuffer();

        LiveOutput() {
            super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            text.append(new String(buf, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void write(int b) {
            text.append((char) b);
        }

        String text() {
            return text.toString();
        }
    }

    @Test
    void givenARun_whenItEnds_thenTheSummaryGivesItsDurationAndRate() {
        Path lot = LotCsv.lot("LOT-P-2").devices("prod-p", 10).write(dir);

        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5"), "register", "--file", lot.toString());

        assertThat(run.output()).containsPattern("This run: 10 registered.*\\R"
                + "Duration (\\d+\\.\\ds|\\d+m \\d\\ds), \\d+\\.\\d devices/s");
    }
}
