package io.bulkreg.lot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.device.DeviceRules;
import io.bulkreg.sandbox.SandboxDevice;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.Corpora;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.OnEveryDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken lot files end to end, through `register --file`: public CSV edge cases and the Big List of
 * Naughty Strings must reach the platform byte for byte; every bad line becomes an INPUT or VALIDATION skip with
 * its file and line; a file that is not a lot file is refused whole; nothing crashes and nothing valid is lost.
 * Runs once per database.
 */
@OnEveryDatabase
class BadInputSpec extends JobSpec {

    /** blns 2.0.4: "", U+1680, U+3000 and " " are blank, so they cannot be device names. */
    private static final int BLNS_BLANK_STRINGS = 4;
    private static final String PROD = "prod-x";

    // ---------------------------------------------------------------- naughty strings and CSV edge cases

    @Test
    void givenEveryNaughtyStringAsNameAndDescription_whenRegistered_thenThePlatformReceivedEachExactly() {
        List<String> blns = Corpora.blns();
        LotCsv csv = LotCsv.lot("LOT-BLNS");
        for (int i = 0; i < blns.size(); i++) {
            csv.device(PROD, blns.get(i), "false", "N" + i, blns.get(i));
        }
        Path lot = csv.write(dir);

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        List<Integer> blank = IntStream.range(0, blns.size()).filter(i -> blns.get(i).isBlank()).boxed().toList();
        assertThat(blank).hasSize(BLNS_BLANK_STRINGS);
        assertThat(sandbox.devices()).hasSize(blns.size() - BLNS_BLANK_STRINGS);
        for (SandboxDevice device : sandbox.devices()) {
            String expected = blns.get(Integer.parseInt(device.serial().substring(1)));
            assertThat(device.name()).as("name of %s", device.serial()).isEqualTo(expected);
            assertThat(device.description()).as("description of %s", device.serial()).isEqualTo(expected);
            assertThat(row(device.serial())).as("row of %s", device.serial())
                    .containsEntry("STATUS", "REGISTERED")
                    .containsEntry("NAME", expected)
                    .containsEntry("DESCRIPTION", expected)
                    .containsEntry("DEVICE_ID", device.deviceId())
                    .containsEntry("DEVICE_KEY", device.deviceKey());
        }
        // One device per line, header on line 1, no line breaks in blns: string i is on line i + 2.
        assertThat(skips()).containsExactlyInAnyOrderElementsOf(blank.stream()
                .map(i -> new SkipRow("VALIDATION", "LOT-BLNS", lot + ":" + (i + 2), "name: is required")).toList());
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(blns.size() - BLNS_BLANK_STRINGS);
    }

    @Test
    void givenEveryNaughtyStringAsDescriptionOnly_whenRegistered_thenEachIsSentExactlyAndTheEmptyOneIsLeftOut() {
        List<String> blns = Corpora.blns();
        LotCsv csv = LotCsv.lot("LOT-BLNS-D");
        for (int i = 0; i < blns.size(); i++) {
            csv.device(PROD, "Device " + i, "true", "D" + i, blns.get(i));
        }
        Path lot = csv.write(dir);

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).hasSize(blns.size());
        for (SandboxDevice device : sandbox.devices()) {
            String text = blns.get(Integer.parseInt(device.serial().substring(1)));
            // An empty cell means "no description"; whitespace is content and is sent as is.
            assertThat(device.description()).as("description of %s", device.serial())
                    .isEqualTo(text.isEmpty() ? null : text);
        }
        assertThat(skips()).isEmpty();
    }

    @Test
    void givenCsvSpectrumConstructsInALotFile_whenRegistered_thenEachDeviceArrivesExactlyAndLaterLinesKeepTheirNumbers() {
        // Written as Excel's "CSV UTF-8" does: byte order mark, CRLF record ends.
        String content = "\uFEFFlot,prodId,name,isTest,serial,description\r\n"    // 1
                + "LOT-SP,prod-sp,\"Comma, Inc.\",false,SP1,\"a, b, c\"\r\n"          // 2: quoted commas
                + "LOT-SP,prod-sp,Quoter,false,SP2,\"she said \"\"hi\"\"\"\r\n"        // 3: escaped quotes
                + "LOT-SP,prod-sp,Crlf,false,SP3,\"first\r\nsecond\r\nthird\"\r\n"   // 4-6: quoted CRLF
                + "LOT-SP,prod-sp,Lf,false,SP4,\"ha \n\"\"ha\"\" \nha\"\r\n"         // 7-9: quoted LF and quotes
                + "LOT-SP,prod-sp,Empty,false,,\r\n"                                  // 10: empty optional fields
                + "LOT-SP,prod-sp,Ünïcødé ʤ 名前 🚀,FALSE,SP6,\"日本語, ελληνικά\"\r\n"  // 11: UTF-8
                + "LOT-SP,prod-sp,Json,true,SP7,\"{\"\"a\"\": [\"\"x\"\", 1]}\"\r\n"   // 12: json in a field
                + "\r\n"                                                              // 13: blank line
                + "LOT-SP,prod-sp,Late,maybe,SP8,\"after\r\nnewlines\"\r\n"           // 14-15: bad boolean
                + "LOT-SP,prod-sp,Quoted empty,false,SP9,\"\"\r\n"                   // 16: "" description
                + "LOT-SP,prod-sp,too few\r\n"                                        // 17: wrong column count
                + "LOT-SP,prod-sp,Last,false,SP10,no line end";                       // 18: no final CRLF
        Path lot = write("spectrum.csv", content.getBytes(UTF_8));

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices())
                .extracting(SandboxDevice::name, SandboxDevice::serial, SandboxDevice::description, SandboxDevice::isTest)
                .containsExactlyInAnyOrder(
                        tuple("Comma, Inc.", "SP1", "a, b, c", false),
                        tuple("Quoter", "SP2", "she said \"hi\"", false),
                        tuple("Crlf", "SP3", "first\r\nsecond\r\nthird", false),
                        tuple("Lf", "SP4", "ha \n\"ha\" \nha", false),
                        tuple("Empty", null, null, false),
                        tuple("Ünïcødé ʤ 名前 🚀", "SP6", "日本語, ελληνικά", false),
                        tuple("Json", "SP7", "{\"a\": [\"x\", 1]}", true),
                        tuple("Quoted empty", "SP9", null, false),
                        tuple("Last", "SP10", "no line end", false));
        assertThat(skips()).containsExactlyInAnyOrder(
                new SkipRow("VALIDATION", "LOT-SP", lot + ":14", "isTest: must be true or false, found 'maybe'"),
                new SkipRow("INPUT", "LOT-SP", lot + ":17", "expected 6 fields, found 3"));
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(9);
    }

    @Test
    void givenEveryCsvSpectrumValueAsDescription_whenRegistered_thenEachArrivesExactly() {
        // location_coordinates is left out: its stray quote is refused on purpose (see CsvSpectrumCorpusTest).
        List<String> values = Stream.of("comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "newlines",
                "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8")
                .flatMap(c -> Corpora.csvSpectrumValues(c).stream()).toList();
        LotCsv csv = LotCsv.lot("LOT-SPECTRUM");
        for (int i = 0; i < values.size(); i++) {
            csv.device(PROD, "Spectrum " + i, "false", "C" + i, values.get(i));
        }
        Path lot = csv.write(dir);

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(values).contains("", "ha \n\"ha\" \nha", "ʤ");
        assertThat(sandbox.devices()).hasSize(values.size());
        for (SandboxDevice device : sandbox.devices()) {
            String value = values.get(Integer.parseInt(device.serial().substring(1)));
            assertThat(device.description()).as("description of %s", device.serial())
                    .isEqualTo(value.isEmpty() ? null : value);
        }
        assertThat(skips()).isEmpty();
    }

    @Test
    void givenNameAndDescriptionAtTheirLimitsInFourByteCharacters_whenRegistered_thenBothArriveWhole() {
        // The limits count characters (code points): 1000 emoji are 2000 Java chars and 4000 bytes.
        String name = "🚀".repeat(DeviceLimits.NAME);
        String description = "𝄞".repeat(DeviceLimits.DESCRIPTION);
        Path lot = LotCsv.lot("LOT-WIDE").device(PROD, name, "false", "W1", description)
                .device(PROD, "Plain", "false", "W2", null).write(dir);

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactlyInAnyOrder("W1", "W2");
        SandboxDevice wide = sandbox.devices().stream().filter(d -> d.serial().equals("W1")).findFirst().orElseThrow();
        assertThat(wide.name()).isEqualTo(name);
        assertThat(wide.description()).isEqualTo(description);
        assertThat(row("W1")).containsEntry("NAME", name).containsEntry("DESCRIPTION", description)
                .containsEntry("DEVICE_KEY", wide.deviceKey());
        assertThat(skips()).isEmpty();
    }

    // ---------------------------------------------------------------- bad lines

    @Test
    void givenOneLineOfEachBadKind_whenRegistered_thenEachIsSkippedWithItsKindAndLineAndEveryValidLineIsRegistered() {
        String file = dir.resolve("LOT-BAD.csv").toString();
        byte[] content = bytes(
                LotCsv.HEADER + "\n",                                               // 1
                "LOT-BAD,prod-x,Valid 1,false,V1,first\n",                          // 2
                "LOT-BAD,prod-x,few,false\n",                                       // 3
                "LOT-BAD,prod-x,Valid 2,false,V2,\n",                               // 4
                "LOT-BAD,prod-x,many,false,M1,x,extra\n",                           // 5
                "LOT-BAD,prod-x,Caf", new byte[] {(byte) 0xE9}, ",false,U1,latin-1\n", // 6
                "LOT-BAD,prod-x,Valid 3,TRUE,V3,\"third, with comma\"\n",           // 7
                "LOT-BAD,prod-x,Yes,yes,B1,x\n",                                    // 8
                "LOT-BAD,prod-x,No isTest,,B2,x\n",                                 // 9
                "LOT-BAD,,No product,false,P1,x\n",                                 // 10
                "LOT-BAD,prod-x,,false,E1,x\n",                                     // 11
                "LOT-BAD,prod-x,\" \t \",false,E2,x\n",                             // 12
                "LOT-BAD,prod-x,Dash,false,AB-12,x\n",                              // 13
                "LOT-BAD,prod-x,Long serial,false," + "S".repeat(50) + ",x\n",      // 14
                "LOT-BAD,prod-x,Umlaut serial,false,Ä1,x\n",                        // 15
                "LOT-BAD,prod-x," + "n".repeat(DeviceLimits.NAME + 1) + ",false,L1,x\n", // 16
                "LOT-BAD,prod-x,Long description,false,L2," + "d".repeat(DeviceLimits.DESCRIPTION + 1) + "\n", // 17
                "LOT-BAD,prod-x,5\" screen,false,Q1,x\n",                           // 18
                "LOT-BAD,prod-x,Nul", new byte[] {0}, "name,false,Z1,x\n",          // 19
                "LOT-BAD,prod-x,Twin,false,V1,x\n",                                 // 20
                "LOT-BAD,prod-x,Valid 4,false,V4,last\n");                          // 21
        Path lot = write("LOT-BAD.csv", content);

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactlyInAnyOrder("V1", "V2", "V3", "V4");
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'")).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(4);
        assertThat(skips()).extracting(SkipRow::source, SkipRow::kind, SkipRow::lotId).containsExactlyInAnyOrder(
                tuple(file + ":3", "INPUT", "LOT-BAD"),
                tuple(file + ":5", "INPUT", "LOT-BAD"),
                tuple(file + ":6", "INPUT", "LOT-BAD"),
                tuple(file + ":8", "VALIDATION", "LOT-BAD"),
                tuple(file + ":9", "VALIDATION", "LOT-BAD"),
                tuple(file + ":10", "VALIDATION", "LOT-BAD"),
                tuple(file + ":11", "VALIDATION", "LOT-BAD"),
                tuple(file + ":12", "VALIDATION", "LOT-BAD"),
                tuple(file + ":13", "VALIDATION", "LOT-BAD"),
                tuple(file + ":14", "VALIDATION", "LOT-BAD"),
                tuple(file + ":15", "VALIDATION", "LOT-BAD"),
                tuple(file + ":16", "VALIDATION", "LOT-BAD"),
                tuple(file + ":17", "VALIDATION", "LOT-BAD"),
                tuple(file + ":18", "INPUT", "LOT-BAD"),
                tuple(file + ":19", "INPUT", "LOT-BAD"),
                tuple(file + ":20", "INPUT", "LOT-BAD"));
        Map<String, String> why = new HashMap<>();
        skips().forEach(s -> why.put(s.source().substring(file.length() + 1), s.description()));
        assertThat(why.get("3")).isEqualTo("expected 6 fields, found 4");
        assertThat(why.get("5")).isEqualTo("expected 6 fields, found 7");
        assertThat(why.get("6")).startsWith("not valid UTF-8");
        assertThat(why.get("8")).isEqualTo("isTest: must be true or false, found 'yes'");
        assertThat(why.get("9")).isEqualTo("isTest: must be true or false, found nothing");
        assertThat(why.get("10")).isEqualTo("prodId: is required");
        assertThat(why.get("11")).isEqualTo("name: is required");
        assertThat(why.get("12")).isEqualTo("name: is required");
        assertThat(why.get("13")).isEqualTo("serial: must be 1 to 49 letters and digits (A-Z, a-z, 0-9), found 'AB-12'");
        assertThat(why.get("14")).startsWith("serial: must be 1 to 49 letters and digits").contains("S".repeat(50));
        assertThat(why.get("15")).startsWith("serial: must be 1 to 49 letters and digits").endsWith("found 'Ä1'");
        assertThat(why.get("16")).isEqualTo("name: is longer than 1000 characters (1001)");
        assertThat(why.get("17")).isEqualTo("description: is longer than 4000 characters (4001)");
        assertThat(why.get("18")).isEqualTo("quote inside an unquoted field");
        assertThat(why.get("19")).isEqualTo("binary content (NUL byte)");
        assertThat(why.get("20")).startsWith("serial 'V1' of product 'prod-x' appears twice in the file (first at "
                + file + ":2)");
    }

    @Test
    void givenARecordOverTheMaximumSize_whenRegistered_thenOnlyThatLineIsSkippedAndTheNextLinesKeepTheirNumbers() {
        String huge = "h".repeat(1500);
        Path lot = write("LOT-HUGE.csv", bytes(
                LotCsv.HEADER + "\n",                                   // 1
                "LOT-HUGE,prod-x,Before,false,H1,x\n",                  // 2
                "LOT-HUGE,prod-x,Huge,false,H2,\"" + huge + "\"\n",     // 3
                "LOT-HUGE,prod-x,After,false,H3,\"two\nlines\"\n",      // 4-5
                "LOT-HUGE,prod-x,Few\n",                                // 6
                "LOT-HUGE,prod-x,Last,false,H4,x\n"));                  // 7

        CliRun.Result run = register(properties("bulkreg.lots.max-record-bytes", "1024"), lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactlyInAnyOrder("H1", "H3", "H4");
        assertThat(skips()).containsExactlyInAnyOrder(
                new SkipRow("INPUT", "LOT-HUGE", lot + ":3", "record longer than 1024 bytes"),
                new SkipRow("INPUT", "LOT-HUGE", lot + ":6", "expected 6 fields, found 3"));
    }

    @Test
    void givenAnUnreadableLineInAFileNamedOtherThanItsLot_whenRegistered_thenTheSkipBelongsToTheLotOfTheFile() {
        Path lot = write("incoming-2024-05.csv", bytes(
                LotCsv.HEADER + "\n",                          // 1
                "LOT-NAMED,prod-x,few,false\n",                // 2: unreadable before any readable line
                "LOT-NAMED,prod-x,Good,false,G1,x\n",          // 3
                "LOT-NAMED,prod-x,Wrong", new byte[] {(byte) 0xFF}, ",false,G2,x\n", // 4: unreadable after one
                "LOT-NAMED,prod-x,Bad,perhaps,G3,x\n"));       // 5

        CliRun.Result run = register(lot);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial).containsExactly("G1");
        assertThat(skips()).extracting(SkipRow::source, SkipRow::lotId).containsExactlyInAnyOrder(
                tuple(lot + ":2", "LOT-NAMED"),
                tuple(lot + ":4", "LOT-NAMED"),
                tuple(lot + ":5", "LOT-NAMED"));
        assertThat(count("SELECT COUNT(*) FROM registration_skip WHERE lot_id = 'incoming-2024-05'")).isZero();
    }

    // ---------------------------------------------------------------- whole files

    static Stream<Arguments> filesThatAreNotLotFiles() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        random[10] = 0;
        byte[] png = bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D}, "IHDR",
                new byte[] {0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0});
        byte[] utf16 = (LotCsv.HEADER + "\r\nL,p,n,false,S1,d\r\n").getBytes(StandardCharsets.UTF_16LE); // no BOM
        return Stream.of(
                Arguments.of("random bytes", random, ":1", "not a lot file: unreadable header"),
                Arguments.of("a PNG image", png, ":1", "not a lot file: unreadable header"),
                Arguments.of("UTF-16 text without byte order mark", utf16, ":1", "not a lot file: unreadable header: "
                        + "binary content (NUL byte); the file looks like UTF-16 without a byte order mark"),
                Arguments.of("an empty file", new byte[0], "", "not a lot file: empty file"),
                Arguments.of("only blank lines", "\r\n\n\r\n".getBytes(UTF_8), "", "not a lot file: empty file"),
                Arguments.of("no isTest column", ("lot,prodId,name,serial,description\nLOT-W,prod-x,n,S1,d\n")
                        .getBytes(UTF_8), ":1", "not a lot file: missing column 'isTest'"),
                Arguments.of("a misspelt column", ("lot,prodId,name,isTest,serail,description\nLOT-W,prod-x,n,false,S1,d\n")
                        .getBytes(UTF_8), ":1", "not a lot file: unknown column 'serail' (did you mean 'serial'?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesThatAreNotLotFiles")
    void givenAFileThatIsNotALotFileNextToAGoodOne_whenRegistered_thenItIsRefusedWholeAndTheGoodOneIsRegistered(
            String what, byte[] content, String lineSuffix, String reason) {
        Path bad = write("bad-input.csv", content);
        Path good = LotCsv.lot("LOT-GOOD").devices(PROD, 3).write(dir);

        CliRun.Result run = register(bad, good);

        assertThat(run.exitCode()).as(what).isEqualTo(ExitCodes.FILES_REFUSED);
        assertThat(sandbox.devices()).extracting(SandboxDevice::serial)
                .containsExactlyInAnyOrder("LOTGOODS0001", "LOTGOODS0002", "LOTGOODS0003");
        assertThat(count("SELECT COUNT(*) FROM device_registration")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM device_registration WHERE lot_id <> 'LOT-GOOD'")).isZero();
        // A refused file is a file, not a lot: no skip, no lot named after it.
        assertThat(skips()).isEmpty();
        assertThat(jdbc().queryForList("SELECT file_name || ' ' || reason FROM refused_lot_file", String.class))
                .singleElement().asString()
                .startsWith(bad + " " + (lineSuffix.isEmpty() ? "" : "line 1: ")).contains(reason);
    }

    @Test
    void givenAFileWithAHeaderOnly_whenRegistered_thenNothingIsImportedAndNothingIsAnError() {
        Path empty = write("empty-export.csv", (LotCsv.HEADER + "\r\n").getBytes(UTF_8));

        CliRun.Result run = register(empty);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains("imported 0 devices from 0 lines (the file has a header but no devices)");
        assertThat(skips()).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM refused_lot_file")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    record SkipRow(String kind, String lotId, String source, String description) {
    }

    /** The limits of DeviceRules, restated so that a change of them is a visible test change. */
    static final class DeviceLimits {
        static final int NAME = 1000;
        static final int DESCRIPTION = 4000;
    }

    /** JobSpec's, with 100 devices a request: the corpora are large. */
    @Override
    protected Map<String, Object> properties(Object... extra) {
        Map<String, Object> p = super.properties("bulkreg.mcs.devices-per-request", "100");
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
        return CliRun.run(properties, args.toArray(String[]::new));
    }

    List<SkipRow> skips() {
        return jdbc().query("SELECT kind, lot_id, source, error_description FROM registration_skip ORDER BY id",
                (rs, n) -> new SkipRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    /** The device_registration row of a serial, keys in upper case on both databases. */
    Map<String, Object> row(String serial) {
        Map<String, Object> row = jdbc().queryForMap("SELECT status, name, description, device_id, device_key "
                + "FROM device_registration WHERE serial = ?", serial);
        Map<String, Object> upper = new HashMap<>();
        row.forEach((k, v) -> upper.put(k.toUpperCase(Locale.ROOT), v));
        return upper;
    }

    Path write(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Concatenates text (as UTF-8) and raw bytes, for lines that must hold bytes no String can. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof byte[] raw ? raw : part.toString().getBytes(UTF_8);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
