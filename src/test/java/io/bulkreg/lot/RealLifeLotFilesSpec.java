package io.bulkreg.lot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.sandbox.SandboxListener;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lot files the way factories produce them (issue 9): Excel's CSV flavours, MES exports with extra columns,
 * legacy encodings, corrected and cumulative files, files still arriving in the inbox. Every file is built
 * here byte for byte. Runs once per database.
 */
@OnEveryDatabase
class RealLifeLotFilesSpec extends JobSpec {

    private static final String HEADER = "lot,prodId,name,isTest,serial,description";
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    // ---------------------------------------------------------------- columns

    @Test
    void givenAnMesExportWithAnExtraBatchNoColumn_whenRegistered_thenEveryDeviceIsRegisteredAndTheColumnIsNamedOnce() {
        StringBuilder csv = new StringBuilder("lot,prodId,batchNo,name,isTest,serial,description\n");
        for (int i = 1; i <= 20; i++) {
            csv.append("LOT-MES,prod-m,B-2024-17,Unit ").append(i).append(",false,MES").append(i).append(",\n");
        }
        Path file = write("mes-export.csv", csv.toString().getBytes(UTF_8));

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(20);
        assertThat(run.output()).contains("columns ignored: 'batchNo'");
        assertThat(occurrences(run.output(), "batchNo")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenStrictColumnsAndAnExtraColumn_whenRegistered_thenTheFileIsRefusedNamingTheColumn() {
        Path file = write("mes-export.csv", ("lot,prodId,batchNo,name,isTest,serial,description\n"
                + "LOT-MES,prod-m,B-1,Unit 1,false,MES1,\n").getBytes(UTF_8));

        CliRun.Result run = register(properties("bulkreg.lots.unknown-columns", "refuse"), file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(sandbox.devices()).isEmpty();
        assertThat(refusedFiles()).singleElement().satisfies(r -> assertThat(r.reason()).contains("unknown column 'batchNo'"));
    }

    @Test
    void givenAMissingRequiredColumn_whenRegistered_thenTheFileIsRefusedListingTheColumnsExpectedAndFound() {
        Path file = write("no-istest.csv", "lot,prodId,name,serial\nLOT-W,prod-w,Unit 1,W1\n".getBytes(UTF_8));

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(refusedFiles()).singleElement().satisfies(r -> assertThat(r.reason()).contains(
                "missing column 'isTest'", "expected columns: lot, prodId, name, isTest, serial, description",
                "found: lot, prodId, name, serial"));
    }

    // ---------------------------------------------------------------- dialect and encoding

    @Test
    void givenADescriptionThatOpensAQuoteItNeverCloses_whenRegistered_thenOnlyThatLineIsAnInputErrorAndTheRestIsRegistered() {
        StringBuilder lines = new StringBuilder("lot,prodId,name,isTest,serial,description\n"
                + "LOT-INCH,prod-i,Panel 1,false,I1,\"12in display\n");   // 12" written as "12in, unquoted file
        for (int i = 2; i <= 40; i++) {
            lines.append("LOT-INCH,prod-i,Panel ").append(i).append(",false,I").append(i).append(",ok\n");
        }
        lines.append("LOT-INCH,prod-i,Panel 41,false,I41,\"quoted, rightly\"\n");
        Path file = write("inch.csv", lines.toString().getBytes(UTF_8));

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(40);
        assertThat(run.output()).contains(file + ":2: a quoted field opened on this line does not end properly");
    }

    @Test
    void givenASemicolonSeparatedExcelExportWithADecimalCommaInTheDescription_whenRegistered_thenTheCommaIsText() {
        Path file = write("semicolon.csv", bytes(UTF_8, "\uFEFFlot;prodId;name;isTest;serial;description\r\n"
                + "LOT-SEMI;prod-s;Waage 1;FALSE;S0;x\r\n"
                + "LOT-SEMI;prod-s;Waage 2;FALSE;S1;Gewicht 2,5 kg\r\n"
                + "LOT-SEMI;prod-s;\"Sensor; innen\";TRUE;S2;\"Spannung 3,3 V\"\r\n"));

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name, SandboxDevice::description).containsExactlyInAnyOrder(
                tuple("Waage 1", "x"), tuple("Waage 2", "Gewicht 2,5 kg"), tuple("Sensor; innen", "Spannung 3,3 V"));
        assertThat(run.output()).contains("separator ';'").doesNotContain("unknown column");
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenAWindows1252FileWithUmlauts_whenRegistered_thenItsPlainLinesAreRegisteredAndEachOtherSaysHowToReSaveIt() {
        Path file = write("ansi.csv", bytes(WINDOWS_1252, HEADER + "\r\n"
                + "LOT-ANSI,prod-a,Plain,false,A1,x\r\n"
                + "LOT-ANSI,prod-a,Müller Drucksensor,false,A2,Außenfühler\r\n"));

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("A1");
        String why = jdbc().queryForObject("SELECT error_description FROM registration_skip WHERE source = ?", String.class,
                file + ":3");
        assertThat(why).contains("not valid UTF-8", "looks like Windows-1252", "Müller", "re-save",
                "bulkreg.lots.charset=windows-1252");
    }

    @Test
    void givenAWindows1252FileAndTheCharsetConfigured_whenRegistered_thenTheUmlautsArriveIntact() {
        Path file = write("ansi.csv", bytes(WINDOWS_1252, HEADER + "\r\n"
                + "LOT-ANSI,prod-a,Müller Drucksensor,false,A2,Außenfühler 20 °C\r\n"));

        CliRun.Result run = register(properties("bulkreg.lots.charset", "windows-1252"), file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name, SandboxDevice::description)
                .containsExactly(tuple("Müller Drucksensor", "Außenfühler 20 °C"));
        assertThat(run.output()).contains("windows-1252");
    }

    static Stream<Arguments> utf16Files() {
        String tabbed = "lot\tprodId\tname\tisTest\tserial\tdescription\r\n"
                + "LOT-U16\tprod-u\tGrüße 名前\tFALSE\tU1\t2,5 kg\r\n";
        String commas = HEADER + "\nLOT-U16,prod-u,Grüße 名前,false,U1,\"2,5 kg\"\n";
        return Stream.of(
                Arguments.of("Excel's Unicode Text: UTF-16LE, tabs", bytes(StandardCharsets.UTF_16LE, "\uFEFF" + tabbed)),
                Arguments.of("UTF-16BE, commas", bytes(StandardCharsets.UTF_16BE, "\uFEFF" + commas)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("utf16Files")
    void givenAUtf16FileWithAByteOrderMark_whenRegistered_thenItIsReadAsText(String what, byte[] content) {
        Path file = write("unicode.csv", content);

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).as(what).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name, SandboxDevice::description)
                .containsExactly(tuple("Grüße 名前", "2,5 kg"));
        assertThat(run.output()).contains("UTF-16");
    }

    // ---------------------------------------------------------------- blank rows

    @Test
    void givenAnExcelCsvUtf8FileWithEmptyRowsAnywhere_whenRegistered_thenTheyAreSkippedSilently() {
        Path file = write("excel.csv", bytes(UTF_8, "\uFEFFLOT,PRODID,NAME,ISTEST,SERIAL,DESCRIPTION\r\n"
                + ",,,,,\r\n"
                + "LOT-XL,prod-x,Zähler 1,TRUE,X1,\r\n"
                + ",,,,,\r\n"
                + "LOT-XL,prod-x,Zähler 2,FALSE,X2,\r\n"
                + ",,,,,\r\n"
                + ",,,,,\r\n"));

        CliRun.Result run = register(file);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactlyInAnyOrder("Zähler 1", "Zähler 2");
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    // ---------------------------------------------------------------- refused files

    @Test
    void givenAFileThatIsNotALotFile_whenSeenOnTwoNights_thenItIsRecordedOnceAsAFileAndNeverAsALot() {
        Path bad = write("prices.csv", "article,price\nA-1,\"2,50\"\n".getBytes(UTF_8));

        CliRun.Result first = run(inbox(), "register");
        CliRun.Result second = run(inbox(), "register");
        CliRun.Result report = run(inbox(), "report");

        assertThat(first.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(second.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(refusedFiles()).singleElement().satisfies(r -> {
            assertThat(r.file()).isEqualTo(bad.toAbsolutePath().toString());
            assertThat(r.sha256()).hasSize(64);
            assertThat(r.reason()).contains("missing columns 'prodId', 'name', 'isTest'");
        });
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
        assertThat(report.output()).contains("Refused files", bad.toAbsolutePath().toString())
                .doesNotContainPattern("(?m)^prices ");
    }

    @Test
    void givenARefusedFileNextToAGoodOne_whenRegistered_thenTheGoodOneIsRegisteredAndTheSummarySaysAPersonMustLook() {
        Path bad = write("empty.csv", new byte[0]);
        Path good = write("good.csv", (HEADER + "\nLOT-G,prod-g,Unit 1,false,G1,\n").getBytes(UTF_8));

        CliRun.Result run = register(bad, good);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("G1");
        assertThat(run.output()).contains("Refused files (1", bad + ": not a lot file: empty file");
    }

    @Test
    void givenAnotherWorkerRefusingTheSameFileMeanwhile_whenTheRunEnds_thenItsSummaryStillNamesTheFileItRefused() {
        Path bad = write("empty.csv", new byte[0]);
        Path good = write("good.csv", (HEADER + "\nLOT-G,prod-g,Unit 1,false,G1,\n").getBytes(UTF_8));
        // A worker on the same inbox refuses the file too while this run registers: the table then names that run.
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                jdbc().update("UPDATE refused_lot_file SET last_job_execution_id = last_job_execution_id + 100");
            }
        });

        CliRun.Result run = register(bad, good);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(run.output()).contains("Refused files (1", bad + ": not a lot file: empty file");
    }

    // ---------------------------------------------------------------- corrected and cumulative files

    @Test
    void givenACorrectedFile_whenImportedAgain_thenTheLinesAlreadyImportedAreAlreadyThereAndNoError() {
        String day1 = HEADER + "\nLOT-C,prod-c,Unit 1,false,C1,\nLOT-C,prod-c,Unit 2,false,C2,\nLOT-C,prod-c,Unit 3,maybe,C3,\n";
        Path file = write("LOT-C.csv", day1.getBytes(UTF_8));
        register(file);
        write("LOT-C.csv", day1.replace("maybe", "true").getBytes(UTF_8));

        CliRun.Result again = register(file);

        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactlyInAnyOrder("C1", "C2", "C3");
        assertThat(again.output()).contains("imported 1 devices from 3 lines", "2 already there");
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE job_execution_id = "
                + "(SELECT MAX(job_execution_id) FROM batch_job_execution)")).isZero();
    }

    @Test
    void givenACumulativeExportRepeatingYesterdaysLines_whenImported_thenOnlyTheNewLinesAreAdded() {
        String day1 = HEADER + "\nLOT-K,prod-k,Unit 1,false,K1,\nLOT-K,prod-k,Bench,true,,on the bench\n";
        register(write("export-day1.csv", day1.getBytes(UTF_8)));

        CliRun.Result day2 = register(write("export-day2.csv", (day1 + "LOT-K,prod-k,Unit 2,false,K2,\n").getBytes(UTF_8)));

        assertThat(day2.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactlyInAnyOrder("Unit 1", "Bench", "Unit 2");
        assertThat(count("SELECT COUNT(*) FROM registration_skip")).isZero();
    }

    @Test
    void givenALineConflictingWithAnImportedDevice_whenImported_thenItIsAnInputSkipSayingWhatDiffers() {
        register(write("LOT-D.csv", (HEADER + "\nLOT-D,prod-d,Unit 1,false,D1,first\n").getBytes(UTF_8)));

        register(write("LOT-D-fix.csv", (HEADER + "\nLOT-D,prod-d,Unit 1b,false,D1,first\n").getBytes(UTF_8)));

        assertThat(sandbox.devices()).extracting(SandboxDevice::name).containsExactly("Unit 1");
        assertThat(jdbc().queryForList("SELECT kind || ' ' || error_description FROM registration_skip", String.class))
                .singleElement().asString().startsWith("INPUT serial 'D1' of product 'prod-d'")
                .contains("name 'Unit 1b' here, 'Unit 1' there").doesNotContain("description");
    }

    @Test
    void givenTheSameBadLineInTwoNightlyExports_whenReported_thenTheLotCountsTheErrorsOfItsLatestImportOnly() {
        String bad = "LOT-N,prod-n,Unit 9,perhaps,N9,\n";
        register(write("night1.csv", (HEADER + "\nLOT-N,prod-n,Unit 1,false,N1,\n" + bad).getBytes(UTF_8)));
        register(write("night2.csv", (HEADER + "\nLOT-N,prod-n,Unit 1,false,N1,\nLOT-N,prod-n,Unit 2,false,N2,\n" + bad)
                .getBytes(UTF_8)));

        CliRun.Result report = run(properties(), "report", "--lot", "LOT-N", "--format", "csv");

        assertThat(report.output()).contains("LOT-N,2,2,0,0,0,0,0,1,");
    }

    // ---------------------------------------------------------------- complete files only

    @Test
    void givenAFileStillBeingCopiedIn_whenTheInboxIsImported_thenItWaitsUntilUnchangedForTheSettleTime() {
        String whole = HEADER + "\nLOT-GROW,prod-g,Unit 1,false,GROW1,\nLOT-GROW,prod-g,Unit 2,false,GROW123456,\n";
        Path file = write("LOT-GROW.csv", whole.substring(0, whole.length() - 8).getBytes(UTF_8)); // cut in a serial

        CliRun.Result early = run(inbox("bulkreg.lots.settle-time", "1m"), "register");

        assertThat(early.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
        assertThat(early.output()).contains(file + ": not taken yet");

        write("LOT-GROW.csv", whole.getBytes(UTF_8));
        LotCsv.setModified(file, Instant.now().minus(2, ChronoUnit.MINUTES));
        CliRun.Result later = run(inbox("bulkreg.lots.settle-time", "1m"), "register");

        assertThat(later.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactlyInAnyOrder("GROW1", "GROW123456");
    }

    @Test
    void givenTemporaryAndHiddenFiles_whenTheInboxIsImported_thenTheyAreLeftAlone() {
        write("LOT-T.csv.part", (HEADER + "\nLOT-T,prod-t,Unit 1,false,T1,\n").getBytes(UTF_8));
        write(".LOT-H.csv", (HEADER + "\nLOT-H,prod-t,Unit 2,false,T2,\n").getBytes(UTF_8));

        CliRun.Result run = run(inbox(), "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isZero();
        assertThat(count("SELECT COUNT(*) FROM lot_file")).isZero();
    }

    @Test
    void givenAMarkerFile_whenTheInboxIsImported_thenThatFileIsTakenAtOnceAndAnUnmarkedFreshOneWaits() {
        write("LOT-M.csv", (HEADER + "\nLOT-M,prod-m,Unit 1,false,M1,\n").getBytes(UTF_8));
        write("LOT-M.csv.ready", new byte[0]);
        write("LOT-F.csv", (HEADER + "\nLOT-F,prod-m,Unit 2,false,M2,\n").getBytes(UTF_8));

        CliRun.Result run = run(inbox("bulkreg.lots.settle-time", "1m"), "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("M1");
    }

    @Test
    void givenAnArchiveFolder_whenAnInboxFileWasImported_thenItIsMovedThereAndTheInboxHoldsOnlyWhatIsNew() {
        Path archive = dir.resolve("archive");
        Path file = write("LOT-A.csv", (HEADER + "\nLOT-A,prod-a,Unit 1,false,AR1,\n").getBytes(UTF_8));
        Path refused = write("notes.csv", "remark\nhello\n".getBytes(UTF_8));

        CliRun.Result run = run(inbox("bulkreg.lots.archive", archive.toString()), "register");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("AR1");
        assertThat(file).doesNotExist();
        assertThat(archive.resolve("LOT-A.csv")).exists();
        assertThat(refused).exists();
    }

    // ---------------------------------------------------------------- rehearse

    @Test
    void givenAnMesFileWithAllOfIt_whenRehearsed_thenItShowsColumnsDialectEncodingBlankRowsLinesAlreadyThereAndConflicts() {
        register(write("night1.csv", (HEADER + "\nLOT-R,prod-r,Unit 1,false,R1,\nLOT-R,prod-r,Unit 2,false,R2,\n")
                .getBytes(UTF_8)));
        Path file = write("night2.csv", bytes(UTF_8, "\uFEFFlot;prodId;batchNo;name;isTest;serial;description\r\n"
                + "LOT-R;prod-r;B7;Unit 1;false;R1;\r\n"
                + ";;;;;;\r\n"
                + "LOT-R;prod-r;B7;Unit 2 renamed;false;R2;\r\n"
                + "LOT-R;prod-r;B7;Unit 3;false;R3;\r\n"));

        CliRun.Result rehearsal = run(properties(), "rehearse", "--file", file.toString());

        assertThat(rehearsal.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rehearsal.output()).contains(
                "imported 1 devices from 3 lines", "1 already there", "1 conflicting",
                "UTF-8 with byte order mark", "separator ';'", "columns ignored: 'batchNo'", "1 blank row",
                file + ":4: serial 'R2' of product 'prod-r'", "name 'Unit 2 renamed' here, 'Unit 2' there");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(2);
    }

    // ---------------------------------------------------------------- helpers

    record RefusedFile(String file, String sha256, String reason) {
    }

    List<RefusedFile> refusedFiles() {
        return jdbc().query("SELECT file_name, sha256, reason FROM refused_lot_file ORDER BY id",
                (rs, n) -> new RefusedFile(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** Properties of a run that takes the inbox without waiting for files to settle, then {@code extra}. */
    Map<String, Object> inbox(Object... extra) {
        Map<String, Object> p = properties("bulkreg.lots.settle-time", "0s");
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
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

    Path write(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    static byte[] bytes(Charset charset, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.getBytes(charset));
        return out.toByteArray();
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
