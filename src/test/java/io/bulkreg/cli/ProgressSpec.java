package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.nio.file.Path;
import java.time.Duration;
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
    void givenARun_whenItEnds_thenTheSummaryGivesItsDurationAndRate() {
        Path lot = LotCsv.lot("LOT-P-2").devices("prod-p", 10).write(dir);

        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5"), "register", "--file", lot.toString());

        assertThat(run.output()).containsPattern("This run: 10 registered.*\\R"
                + "Duration (\\d+\\.\\ds|\\d+m \\d\\ds), \\d+\\.\\d devices/s");
    }
}
