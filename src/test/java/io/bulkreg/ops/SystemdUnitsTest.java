package io.bulkreg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobs/systemd/: the service and its timer, read key by key, and checked by systemd's own verifier. */
class SystemdUnitsTest {

    static final Path DIR = Path.of("jobs/systemd");

    /** Every value of {@code key} in the unit, in order (systemd keys may repeat). */
    static List<String> values(String unit, String key) throws IOException {
        List<String> values = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve(unit))) {
            if (line.startsWith(key + "=")) {
                values.add(line.substring(key.length() + 1));
            }
        }
        return values;
    }

    static String value(String unit, String key) throws IOException {
        assertThat(values(unit, key)).as(key).hasSize(1);
        return values(unit, key).get(0);
    }

    @Test
    void givenTheService_whenStarted_thenItIsOneRunThatEndsNotADaemon() throws IOException {
        assertThat(value("bulkreg.service", "Type")).isEqualTo("oneshot");
        assertThat(value("bulkreg.service", "ExecStart")).endsWith("bulkreg.jar register");
    }

    @Test
    void givenTheService_whenStopped_thenSigtermComesFirstAndSigkillOnlyAfterTheJobsShutdownGrace() throws IOException {
        assertThat(value("bulkreg.service", "KillSignal")).isEqualTo("SIGTERM");
        assertThat(Long.parseLong(value("bulkreg.service", "TimeoutStopSec")))
                .as("the grace, then the summary the job prints after it")
                .isGreaterThanOrEqualTo(KubernetesManifestsTest.shutdownGrace().toSeconds() + 15);
        assertThat(value("bulkreg.service", "SuccessExitStatus").split(" ")).contains("5", "143").doesNotContain("3");
    }

    @Test
    void givenAPrivateTmp_whenARescueFallsBack_thenItsFolderIsInTheStateDirectoryNotTheUnitsTmp() throws IOException {
        assertThat(value("bulkreg.service", "PrivateTmp")).isEqualTo("yes");
        assertThat(values("bulkreg.service", "Environment"))
                .contains("BULKREG_FAULTS_RESCUEFALLBACKDIR=/var/lib/" + value("bulkreg.service", "StateDirectory")
                        + "/rescue-fallback");
    }

    @Test
    void givenTheService_whenItRuns_thenSettingsComeFromAnEnvironmentFileAndSecretsFromCredentials() throws IOException {
        assertThat(value("bulkreg.service", "EnvironmentFile")).isEqualTo("/etc/bulkreg/bulkreg.env");
        assertThat(values("bulkreg.service", "LoadCredential")).contains("mcs-token:/etc/bulkreg/mcs-token");
        assertThat(values("bulkreg.service", "Environment")).contains("BULKREG_MCS_TOKEN_FILE=%d/mcs-token",
                "SPRING_CONFIG_IMPORT=configtree:%d/");
        assertThat(Files.readString(DIR.resolve("bulkreg.service"))).doesNotContainPattern("(?i)(BULKREG_MCS_TOKEN|PASSWORD)=");
        assertThat(value("bulkreg.service", "User")).isNotEqualTo("root");
    }

    @Test
    void givenTheTimer_whenTheHostWasDownAtTheHour_thenTheMissedRunHappensAtBoot() throws IOException {
        assertThat(value("bulkreg.timer", "OnCalendar")).isEqualTo("*-*-* 02:15:00");
        assertThat(value("bulkreg.timer", "Persistent")).isEqualTo("true");
        assertThat(value("bulkreg.timer", "Unit")).isEqualTo("bulkreg.service");
        assertThat(value("bulkreg.timer", "WantedBy")).isEqualTo("timers.target");
    }

    @Test
    void givenBothUnits_whenSystemdVerifiesThem_thenItReportsNothing(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is not installed (Debian package systemd): the units are not verified here");
        // verify reports unknown keys and bad values on stderr but exits 0: the output is the verdict
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no",
                DIR.resolve("bulkreg.service").toAbsolutePath().toString(), DIR.resolve("bulkreg.timer").toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
