package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulkreg.results.RunReport;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.sandbox.SandboxSettings;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run report as a person sees it: rendered by a real headless browser (Debian's chromium; .ci/run installs it,
 * the test is skipped, saying so, without it), with the run's figures in the rendered page.
 */
class RunReportOnH2Test extends JobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }

    @Override
    protected SandboxSettings sandboxSettings() {
        return SandboxSettings.defaults().withPort(0).withRejectNamesContaining("REFUSE-ME");
    }

    static Optional<Path> chromium() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .flatMap(d -> Stream.of(Path.of(d, "chromium"), Path.of(d, "chromium-browser")))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Runs headless chromium on the page; extra: --dump-dom or --screenshot=FILE. Returns its standard output. */
    static String browse(Path page, Path dir, String extra) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium().orElseThrow().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1200,1400", extra,
                page.toUri().toString()));
        Process browser = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(browser.waitFor(60, TimeUnit.SECONDS)).as("chromium ended").isTrue();
        return out;
    }

    @Test
    void givenALotWithFortyDifferentBadSerials_whenItEnds_thenItsReportGroupsThemInAFewRowsNotOneALine() throws Exception {
        LotCsv csv = LotCsv.lot("LOT-H-2").devices("prod-h", 2);
        for (int i = 1; i <= 40; i++) {
            csv.device("prod-h", "Bad " + i, "false", "BAD-" + i, null);   // a dash: not letters and digits
        }
        Path lot = csv.write(dir);

        CliRun.Result run = run(properties("bulkreg.reports.dir", dir.resolve("reports").toString()), "register",
                "--file", lot.toString());

        JsonNode errors = JsonMapper.builder().build().readTree(reportJson(run).toFile()).get("errors");
        long devices = 0;
        for (JsonNode group : errors) {
            devices += group.get("devices").asLong();
        }
        assertThat(devices).as("every bad line counted").isEqualTo(40);
        assertThat(errors.size()).as("groups, each line's own description notwithstanding")
                .isLessThanOrEqualTo(RunReport.DESCRIBED_GROUPS_PER_KIND + 1);
    }

    @Test
    void givenARunWithRejectionsAndDevicesInDoubt_whenItEnds_thenItsReportRendersInABrowserWithTheRunsFigures()
            throws Exception {
        assumeTrue(chromium().isPresent(), "chromium is not installed (apt-get install chromium; .ci/run installs it): "
                + "the run report is not checked in a browser");
        LotCsv csv = LotCsv.lot("LOT-H-1").devices("prod-h", 20);
        csv.device("prod-h", "REFUSE-ME-1", "false", "HR1", null);
        csv.device("prod-h", "REFUSE-ME-2", "false", "HR2", null);
        Path lot = csv.write(dir);
        sandbox.arm(SandboxFault.Status.of(500), 1);   // the first request ends in doubt: 5 devices

        CliRun.Result run = run(properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.reports.dir",
                dir.resolve("reports").toString()), "register", "--file", lot.toString());

        Matcher path = Pattern.compile("Run report: (\\S+\\.html)").matcher(run.output());
        assertThat(path.find()).as(run.output()).isTrue();
        Path html = Path.of(path.group(1));
        assertThat(html.resolveSibling(html.getFileName().toString().replace(".html", ".json"))).isRegularFile();
        String page = Files.readString(html);
        assertThat(page).as("self-contained").doesNotContain("http:", "https:", "src=", "href=", "<script", "<link", "url(");

        String dom = browse(html, dir, "--dump-dom");

        assertThat(dom).contains("<b id=\"registered\" class=\"ok\">15</b>")
                .contains("<b id=\"rejected\" class=\"bad\">2</b>")
                .contains("<b id=\"in-doubt\" class=\"warn\">5</b>")
                .contains("<td class=\"l\">LOT-H-1</td><td>22</td><td>15</td><td>2</td><td>0</td><td>5</td>")
                .contains("resolve-in-doubt --lot LOT-H-1 --resend")
                .contains(lot.getFileName().toString() + ":")
                .containsPattern("<svg id=\"chart\"[^>]*>.*<rect ");
        assertThat(dom).doesNotContain("deviceKey");
    }

    @Test
    void givenARefusedFileAndAFileNotTakenYetBesideAGoodOne_whenTheInboxIsRegistered_thenTheReportNamesThemAndWhy()
            throws Exception {
        assumeTrue(chromium().isPresent(), "chromium is not installed (apt-get install chromium; .ci/run installs it): "
                + "the run report is not checked in a browser");
        FileTime settled = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Path good = Files.setLastModifiedTime(LotCsv.lot("LOT-H-3").devices("prod-h", 2).write(dir), settled);
        Path refused = Files.setLastModifiedTime(Files.writeString(dir.resolve("LOT-H-NOTES.csv"), "note,owner\nx,y\n"),
                settled);
        Path fresh = LotCsv.lot("LOT-H-4").devices("prod-h", 1).write(dir);   // written just now: still arriving

        CliRun.Result run = run(properties("bulkreg.lots.settle-time", "1h", "bulkreg.reports.dir",
                dir.resolve("reports").toString()), "register");

        Path json = reportJson(run);
        JsonNode report = JsonMapper.builder().build().readTree(json.toFile());
        assertThat(report.get("refusedFiles")).singleElement().extracting(JsonNode::asString).asString()
                .startsWith(refused + ": line 1: not a lot file");
        assertThat(report.get("waitingFiles")).singleElement().extracting(JsonNode::asString).asString()
                .contains(fresh.toString(), "not taken yet");
        String dom = browse(json.resolveSibling(json.getFileName().toString().replace(".json", ".html")), dir,
                "--dump-dom");
        assertThat(dom).contains("<b id=\"refused-files\" class=\"bad\">1</b>")
                .containsPattern("<ul id=\"files-refused\"><li>" + Pattern.quote(refused + ": line 1: not a lot file"))
                .containsPattern("<ul id=\"files-waiting\"><li>" + Pattern.quote(fresh.toString()))
                .contains("<td class=\"l\">LOT-H-3</td><td>2</td><td>2</td>")
                .doesNotContain(good.toString());
    }
}
