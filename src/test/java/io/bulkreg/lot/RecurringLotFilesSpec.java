package io.bulkreg.lot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxFault;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Lot files that come back: nightly cumulative exports, corrections, files rewritten or still changing, refused
 * files that are removed again (the review of issue 9). Every file is built here. Runs once per database.
 */
@OnEveryDatabase
class RecurringLotFilesSpec extends JobSpec {

    private static final String HEADER = "lot,prodId,name,isTest,serial,description";
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    // ---------------------------------------------------------------- cumulative exports without a lot column

    @Test
    void givenACumulativeExportWithoutALotColumn_whenTheNextNightsExportRepeatsIt_thenNoDeviceIsRegisteredTwice() {
        String night1 = "prodId,name,isTest,serial\nprod-k,Unit 1,false,K1\nprod-k,Bench,true,\n";
        register(write("export-1101.csv", night1));

        CliRun.Result night2 = register(write("export-1102.csv", night1 + "prod-k,Unit 2,false,K2\n"));

        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactlyInAnyOrder("Unit 1", "Bench", "Unit 2");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(3);
        assertThat(night2.output()).doesNotContain("lot 'export-1102' here");
        assertThat(inputErrorsOf(lastExecution())).singleElement().asString()
                .contains("'Bench'", "already in lot 'export-1101'", "not imported",
                        "a cumulative export must carry a lot column");
    }

    // ---------------------------------------------------------------- names as people type them

    @Test
    void givenSerialLessNamesThatDifferOnlyInSpacesOrUnicodeForm_whenImportedAgain_thenTheyAreTheSameDevices() {
        register(write("LOT-W.csv", HEADER + "\nLOT-W,prod-w,Bench,true,,\nLOT-W,prod-w,Pr\u00fcfstand,true,,\n"));

        CliRun.Result again = register(write("LOT-W-again.csv", HEADER
                + "\nLOT-W,prod-w,Bench ,true,,\nLOT-W, prod-w ,Pru\u0308fstand,true,,\n"));

        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(2);
        assertThat(sandbox.devices()).hasSize(2);
        assertThat(again.output()).contains("2 already there");
    }

    @Test
    void givenADeviceRegisteredWithoutSerial_whenACorrectionGivesItASerial_thenItIsNotImportedOrRegisteredAgain() {
        register(write("LOT-S.csv", HEADER + "\nLOT-S,prod-s,Gateway 1,false,,\nLOT-S,prod-s,Gateway 2,false,S2,\n"));

        CliRun.Result correction = register(write("LOT-S-serials.csv", HEADER
                + "\nLOT-S,prod-s,Gateway 1,false,S1,\nLOT-S,prod-s,Gateway 2,false,S2,\nLOT-S,prod-s,Gateway 3,false,S3,\n"));

        assertThat(sandbox.devices()).extracting(SandboxDevice::name).as("Gateway 1 once, Gateway 3 new")
                .containsExactlyInAnyOrder("Gateway 1", "Gateway 2", "Gateway 3");
        assertThat(correction.output()).contains("LOT-S-serials.csv:2: serial 'S1' of product 'prod-s' is in the lot "
                + "without serial");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(3);
    }

    @Test
    void givenOneFileWithADeviceWithoutSerialAndTheSameNameWithASerial_whenImported_thenOnlyTheFirstIsTaken() {
        CliRun.Result run = register(write("LOT-T.csv", HEADER
                + "\nLOT-T,prod-t,Gateway 1,false,,\nLOT-T,prod-t,Gateway 1,false,T1,\nLOT-T,prod-t,Gateway 2,false,T2,\n"));

        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactlyInAnyOrder("Gateway 1", "Gateway 2");
        assertThat(run.output()).contains("LOT-T.csv:3: serial 'T1' of product 'prod-t' is in the lot without serial "
                + "(at ");
    }

    @Test
    void givenAnUpstreamRowWithAnEmptyDescription_whenAFileRepeatsItWithAnEmptyCell_thenItIsAlreadyThere() {
        run(properties(), "report");   // creates the schema
        jdbc().update("INSERT INTO device_registration (lot_id, prod_id, name, is_test, serial, description, status) "
                + "VALUES ('LOT-U', 'prod-u', 'Unit 1', FALSE, 'U1', '', 'PENDING')");

        CliRun.Result run = register(write("LOT-U.csv", HEADER + "\nLOT-U,prod-u,Unit 1,false,U1,\n"));

        assertThat(run.output()).contains("1 already there");
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE kind = 'INPUT'")).isZero();
    }

    // ---------------------------------------------------------------- columns under other names

    @Test
    void givenTheSerialColumnUnderAnotherName_whenRegistered_thenTheFileIsRefusedAskingDidYouMeanSerial() {
        Path file = write("mes.csv", "lot,prodId,name,isTest,SerialNumber\nLOT-S,prod-s,Unit 1,false,S1\n");

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
        assertThat(jdbc().queryForObject("SELECT reason FROM refused_lot_file", String.class))
                .contains("'SerialNumber'", "did you mean 'serial'?");
    }

    // ---------------------------------------------------------------- encodings

    @Test
    void givenLinesSkippedAsWindows1252_whenTheHintIsFollowed_thenTheNextRunImportsTheFileAgainAndTakesThem() {
        Path file = write("ansi.csv", (HEADER + "\r\nLOT-A,prod-a,Plain,false,A1,\r\nLOT-A,prod-a,Müller,false,A2,\r\n")
                .getBytes(WINDOWS_1252));
        CliRun.Result first = register(file);
        assertThat(first.output()).contains("bulkreg.lots.charset=windows-1252", "imports the file again");

        CliRun.Result second = register(properties("bulkreg.lots.charset", "windows-1252"), file);

        assertThat(second.output()).doesNotContain("already imported").contains("1 already there");
        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactlyInAnyOrder("Plain", "Müller");
    }

    // ---------------------------------------------------------------- files that change

    @Test
    void givenAFileThatChangesWhileItIsImported_whenRegistered_thenItIsNotTakenYetAndTheOthersAreRegistered()
            throws Exception {
        Path good = write("good.csv", HEADER + "\nLOT-G,prod-g,Unit 1,false,G1,\n");
        Path growing = write("growing.csv", HEADER + "\nLOT-X,prod-x,Unit 0,false,X0,\n");
        AtomicBoolean copying = new AtomicBoolean(true);
        Thread copy = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
                for (int i = 1; copying.get(); i++) {
                    out.write(("LOT-X,prod-x,Unit " + i + ",false,X" + i + ",\n").getBytes(UTF_8));
                    out.flush();
                    LockSupport.parkNanos(200_000);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        copy.start();
        CliRun.Result run;
        try {
            run = register(growing, good);
        } finally {
            copying.set(false);
            copy.join();
        }

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains(growing + ": not taken yet");
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("G1");
        assertThat(count("SELECT COUNT(*) FROM lot_file WHERE file_name = ?", growing.toString())).isZero();
    }

    @Test
    void givenAFileWaitingToSettle_whenTheInboxIsRegistered_thenTheRunSummaryNamesIt() {
        write("LOT-FRESH.csv", HEADER + "\nLOT-F,prod-f,Unit 1,false,F1,\n");

        CliRun.Result run = run(properties("bulkreg.lots.settle-time", "1h"), "register");

        assertThat(run.output()).containsPattern("(?s)Job execution \\d+.*Files not taken yet \\(1\\)[^\\n]*\\n\\s+\\S*LOT-FRESH\\.csv");
    }

    @Test
    void givenAMarkedFile_whenItsImportCommitted_thenTheMarkerIsRemovedSoThatARewriteWaitsForANewOne() {
        Path file = write("LOT-M.csv", HEADER + "\nLOT-M,prod-m,Unit 1,false,M1,\n");
        Path marker = write("LOT-M.csv.ready", "");
        LotCsv.setModified(file, Instant.now().minus(5, ChronoUnit.SECONDS));

        CliRun.Result run = run(properties("bulkreg.lots.settle-time", "1h"), "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("M1");
        assertThat(marker).doesNotExist();
        assertThat(file).exists();
    }

    // ---------------------------------------------------------------- corrections

    @Test
    void givenACorrectionFileFixingOneOfTwoBadLines_whenReported_thenTheLotStillHasTheUnfixedError() {
        register(write("LOT-E.csv", HEADER + "\nLOT-E,prod-e,Unit 1,false,E1,\nLOT-E,prod-e,Unit 2,maybe,E2,\n"
                + "LOT-E,prod-e,Unit 3,perhaps,E3,\n"));

        register(write("LOT-E-fix.csv", HEADER + "\nLOT-E,prod-e,Unit 2,true,E2,\n"));
        CliRun.Result report = run(properties(), "report", "--lot", "LOT-E", "--format", "csv");

        assertThat(report.output()).contains("LOT-E,2,2,0,0,0,0,0,1,");
    }

    @Test
    void givenAWholeCorrectedLot_whenReported_thenTheLotHasNoInputErrorLeft() {
        String lot = HEADER + "\nLOT-E,prod-e,Unit 1,false,E1,\nLOT-E,prod-e,Unit 2,maybe,E2,\n";
        register(write("LOT-E.csv", lot));

        register(write("LOT-E.csv", lot.replace("maybe", "true")));
        CliRun.Result report = run(properties(), "report", "--lot", "LOT-E", "--format", "csv");

        assertThat(report.output()).contains("LOT-E,2,2,0,0,0,0,0,0,");
    }

    // ---------------------------------------------------------------- refused files

    @Test
    void givenTwoEmptyFilesAndOneIsRemoved_whenTheInboxIsRegisteredAgain_thenEachWasRefusedAndOnlyTheOtherIsLeft() {
        Path a = write("empty-a.csv", "");
        Path b = write("empty-b.csv", "");
        run(properties(), "register");
        assertThat(jdbc().queryForList("SELECT file_name FROM refused_lot_file ORDER BY file_name", String.class))
                .containsExactly(a.toAbsolutePath().toString(), b.toAbsolutePath().toString());

        delete(a);
        CliRun.Result report = run(properties(), "report", "--refused-files");
        CliRun.Result again = run(properties(), "register");

        assertThat(again.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(jdbc().queryForList("SELECT file_name FROM refused_lot_file", String.class))
                .containsExactly(b.toAbsolutePath().toString());
        assertThat(report.output()).contains("empty-b.csv");
    }

    @Test
    void givenARunThatRefusedAFileAndFailed_whenRestarted_thenTheRestartStillSaysAPersonMustLook() {
        Path bad = write("notes.csv", "remark\nhello\n");
        StringBuilder lot = new StringBuilder(HEADER + "\n");
        for (int i = 1; i <= 10; i++) {
            lot.append("LOT-R,prod-r,Unit ").append(i).append(",false,R").append(i).append(",\n");
        }
        Path good = write("LOT-R.csv", lot.toString());
        sandbox.arm(new SandboxFault.Hang(Duration.ZERO), 1);
        sandbox.arm(SandboxFault.Status.of(503), 2);
        Map<String, Object> props = properties("bulkreg.mcs.devices-per-request", "5", "bulkreg.faults.max-attempts", "2");
        CliRun.Result first = register(props, bad, good);
        assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILED);

        CliRun.Result restart = run(props, "restart", Long.toString(lastExecution()));

        assertThat(sandbox.devices()).hasSize(10);
        assertThat(restart.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(restart.output()).contains("Refused files (1", bad.toString());
    }

    // ---------------------------------------------------------------- schema

    @Test
    void givenTheSchema_whenSerialLessDevicesAreLookedUp_thenAnIndexLeadsByProductAndLot() throws Exception {
        run(properties(), "report");   // creates the schema
        try (Connection c = jdbc().getDataSource().getConnection()) {
            List<String> columns = new ArrayList<>();
            String table = c.getMetaData().storesUpperCaseIdentifiers() ? "DEVICE_REGISTRATION" : "device_registration";
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, c.getSchema(), table, false, false)) {
                while (rs.next()) {
                    if ("ix_device_serialless".equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                        columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            assertThat(columns).startsWith("prod_id", "lot_id");
        }
    }

    @Test
    void givenAnImportedFile_whenItsLotFileRowIsDeleted_thenItsLotImportsGoWithIt() {
        register(write("LOT-1.csv", HEADER + "\nLOT-1,prod-1,Unit 1,false,P1,\n"));

        jdbc().update("DELETE FROM lot_file");

        assertThat(count("SELECT COUNT(*) FROM lot_import")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    List<String> inputErrorsOf(long execution) {
        return jdbc().queryForList("SELECT error_description FROM registration_skip WHERE kind = 'INPUT' AND "
                + "job_execution_id = ? ORDER BY id", String.class, execution);
    }

    long lastExecution() {
        return count("SELECT MAX(job_execution_id) FROM batch_job_execution");
    }

    CliRun.Result register(Path... files) {
        return register(properties(), files);
    }

    CliRun.Result register(Map<String, Object> properties, Path... files) {
        List<String> args = new ArrayList<>(List.of("register"));
        for (Path f : files) {
            args.add("--file");
            args.add(f.toString());
        }
        return run(properties, args.toArray(String[]::new));
    }

    Path write(String name, String content) {
        return write(name, content.getBytes(UTF_8));
    }

    Path write(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
