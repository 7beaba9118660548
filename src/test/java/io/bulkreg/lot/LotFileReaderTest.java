package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LotFileReaderTest {

    @TempDir
    Path dir;

    @Test
    void givenHeaderInAnyOrderAndCase_whenRead_thenCellsLandInTheirColumns() throws Exception {
        Path file = write("LOT-7.csv", " Description ,ISTEST,serial,NAME,prodid, lot \nd,true,S1,n,P1,L1\n");
        assertThat(readAll(file)).containsExactly(
                new LotLine(file.toString(), 2, "L1", "P1", "n", "true", "S1", "d", null));
    }

    @Test
    void givenNoLotColumn_whenRead_thenLotIdIsTheFileNameWithoutExtension() throws Exception {
        Path file = write("LOT-2024.05.csv", "prodId,name,isTest\nP1,n,false\n");
        assertThat(readAll(file)).extracting(LotLine::lotId).containsExactly("LOT-2024.05");
    }

    @Test
    void givenNoOptionalColumns_whenRead_thenTheyAreNull() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest\nP1,n,false\n");
        assertThat(readAll(file)).extracting(LotLine::serial, LotLine::description)
                .containsExactly(tuple(null, null));
    }

    @Test
    void givenEmptyCells_whenRead_thenTheyAreEmptyStringsNotNull() throws Exception {
        Path file = write("x.csv", "lot,prodId,name,isTest,serial,description\n,,n,,,\n");
        assertThat(readAll(file)).containsExactly(
                new LotLine(file.toString(), 2, "", "", "n", "", "", "", null));
    }

    @Test
    void givenRowsWhoseCellsAreAllEmpty_whenRead_thenTheyArePassedOverAndCountedAndLaterLinesKeepTheirNumbers()
            throws Exception {
        Path file = write("x.csv", "prodId,name,isTest\n,,\nP,n,true\n,,,,,\n\"\",,\nP,m,true\n,\n");
        try (LotFileReader reader = LotFileReader.open(file)) {
            assertThat(reader.next()).extracting(LotLine::line, LotLine::name).containsExactly(3L, "n");
            assertThat(reader.next()).extracting(LotLine::line, LotLine::name).containsExactly(6L, "m");
            assertThat(reader.next()).isNull();
            assertThat(reader.format().blankRows()).isEqualTo(4);
        }
    }

    @Test
    void givenCellsWithSurroundingSpaces_whenRead_thenRawTextIsKept() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest,description\n P1 , n ,TRUE ,\" d \"\n");
        assertThat(readAll(file)).extracting(LotLine::prodId, LotLine::name, LotLine::isTest, LotLine::description)
                .containsExactly(tuple(" P1 ", " n ", "TRUE ", " d "));
    }

    @Test
    void givenLine_whenAskedForSource_thenItIsFileColonLine() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest\nP1,n,false\n");
        assertThat(readAll(file)).extracting(LotLine::source).containsExactly(file + ":2");
    }

    @Test
    void givenMissingRequiredColumn_whenOpened_thenNotALotFileNamesFileAndColumn() throws Exception {
        Path file = write("x.csv", "lot,prodId,name\nL,P,n\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .isInstanceOf(NotALotFileException.class)
                .hasMessage(file + " line 1: not a lot file: missing column 'isTest'"
                        + " (expected columns: lot, prodId, name, isTest, serial, description; found: lot, prodId, name)")
                .extracting("problem").isEqualTo(NotALotFileException.Problem.MISSING_COLUMN);
    }

    @Test
    void givenSeveralMissingColumns_whenOpened_thenAllAreNamed() throws Exception {
        Path file = write("x.csv", "name\nn\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .hasMessageContaining("missing columns 'prodId', 'isTest'");
    }

    @Test
    void givenUnknownColumns_whenRead_thenTheyAreLeftOutAndNamed() throws Exception {
        Path file = write("x.csv", "prodId,batchNo,name,isTest,,colour\nP,B7,n,true,,red\n");
        try (LotFileReader reader = LotFileReader.open(file)) {
            assertThat(reader.next()).extracting(LotLine::prodId, LotLine::name, LotLine::isTest)
                    .containsExactly("P", "n", "true");
            assertThat(reader.format().ignoredColumns()).containsExactly("batchNo", "column 5 (no name)", "colour");
        }
    }

    @Test
    void givenUnknownColumnsRefused_whenOpened_thenNotALotFileNamesThem() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest,colour\n");
        var strict = new LotFileReader.Options(1024, Separator.AUTO, null, UnknownColumns.REFUSE);
        assertThatThrownBy(() -> LotFileReader.open(file, strict))
                .isInstanceOf(NotALotFileException.class)
                .hasMessageStartingWith(file + " line 1: not a lot file: unknown column 'colour'")
                .extracting("problem").isEqualTo(NotALotFileException.Problem.UNKNOWN_COLUMN);
    }

    @Test
    void givenAMisspeltOptionalColumn_whenOpened_thenItIsRefusedRatherThanIgnored() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest,serail\nP,n,true,S1\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .hasMessageStartingWith(file + " line 1: not a lot file: unknown column 'serail' (did you mean 'serial'?)");
    }

    @Test
    void givenASemicolonOrTabHeader_whenOpened_thenTheSeparatorIsTakenFromIt() throws Exception {
        Path semicolon = write("s.csv", "prodId;name;isTest;description\nP;n;true;2,5 kg\n");
        Path tab = write("t.csv", "prodId\tname\tisTest\tdescription\nP\tn\ttrue\t2,5; kg\n");
        assertThat(readAll(semicolon)).extracting(LotLine::description).containsExactly("2,5 kg");
        assertThat(readAll(tab)).extracting(LotLine::description).containsExactly("2,5; kg");
        try (LotFileReader reader = LotFileReader.open(semicolon)) {
            assertThat(reader.format().separator()).isEqualTo(';');
            assertThat(reader.format().separatorDetected()).isTrue();
        }
    }

    @Test
    void givenAConfiguredSeparator_whenOpened_thenItIsUsedWhateverTheHeader() throws Exception {
        Path file = write("s.csv", "prodId,name;isTest;description\nP,x;n;true;d\n");
        var semicolon = new LotFileReader.Options(1024, Separator.SEMICOLON, null, UnknownColumns.IGNORE);
        assertThatThrownBy(() -> LotFileReader.open(file, semicolon)).hasMessageContaining("missing columns 'prodId', 'name'");
    }

    @Test
    void givenUtf16BigEndianWithByteOrderMark_whenRead_thenTextAndLineNumbersAreRight() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, ("\uFEFFprodId,name,isTest\r\n\r\nP,Grüße 🚀,true\r\n").getBytes(StandardCharsets.UTF_16BE));
        assertThat(readAll(file)).extracting(LotLine::line, LotLine::name).containsExactly(tuple(3L, "Grüße 🚀"));
        try (LotFileReader reader = LotFileReader.open(file)) {
            assertThat(reader.format().encoding()).isEqualTo("UTF-16BE with byte order mark");
        }
    }

    @Test
    void givenUtf16WithAnUnpairedSurrogate_whenRead_thenOnlyThatLineIsRefused() throws Exception {
        Path file = dir.resolve("x.csv");
        byte[] text = ("\uFEFFprodId,name,isTest\nP,a,true\nP,b,true\n").getBytes(StandardCharsets.UTF_16LE);
        byte[] broken = Arrays.copyOf(text, text.length);
        int bAt = ("\uFEFFprodId,name,isTest\nP,a,true\nP,").length() * 2;
        broken[bAt] = 0x00;
        broken[bAt + 1] = (byte) 0xD8;   // a lone high surrogate where 'b' was
        Files.write(file, broken);
        assertThat(readAll(file)).extracting(LotLine::line, LotLine::error).containsExactly(
                tuple(2L, null), tuple(3L, "not valid UTF-16LE (bytes that have no character in it)"));
    }

    @Test
    void givenWindows1252Bytes_whenReadAsUtf8_thenTheLineSaysWhatTheFileLooksLikeAndHowToReSaveIt() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, "prodId,name,isTest\nP,Müller,true\n".getBytes(LegacyEncoding.WINDOWS_1252));
        assertThat(readAll(file)).extracting(LotLine::error).singleElement().asString()
                .startsWith("not valid UTF-8 (byte offset 3 in the record); the file looks like Windows-1252 "
                        + "(it would read 'Müller'): re-save it as UTF-8");
    }

    @Test
    void givenWindows1252AndThatCharsetConfigured_whenRead_thenTheUmlautsAreRead() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, "prodId,name,isTest\nP,Müller °C,true\n".getBytes(LegacyEncoding.WINDOWS_1252));
        var ansi = new LotFileReader.Options(1024, Separator.AUTO, LegacyEncoding.WINDOWS_1252, UnknownColumns.IGNORE);
        try (LotFileReader reader = LotFileReader.open(file, ansi)) {
            assertThat(reader.next().name()).isEqualTo("Müller °C");
            assertThat(reader.format().encoding()).isEqualTo("windows-1252 (bulkreg.lots.charset)");
        }
    }

    @Test
    void givenAUtf8FileWithUmlautsAndWindows1252Configured_whenRead_thenItIsReadAsUtf8() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest,description\nP,Müller Drucksensor,true,20 °C\n");
        var ansi = new LotFileReader.Options(1024, Separator.AUTO, LegacyEncoding.WINDOWS_1252, UnknownColumns.IGNORE);
        try (LotFileReader reader = LotFileReader.open(file, ansi)) {
            assertThat(reader.next()).extracting(LotLine::name, LotLine::description)
                    .containsExactly("Müller Drucksensor", "20 °C");
            assertThat(reader.format().encoding()).startsWith("UTF-8").contains("bulkreg.lots.charset=windows-1252");
        }
    }

    @Test
    void givenAUtf8FileWithOneDamagedLine_whenRead_thenThatLineIsAnErrorWithoutAWindows1252Hint() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, concat("prodId,name,isTest\nP,Müller,true\nP,", new byte[] {(byte) 0xFC}, "x,true\n"));
        assertThat(readAll(file)).extracting(LotLine::line, LotLine::error).containsExactly(
                tuple(2L, null), tuple(3L, "not valid UTF-8 (byte offset 2 in the record); the rest of the file is "
                        + "UTF-8: the line is damaged, correct it"));
    }

    @Test
    void givenAUtf8FileWithOneDamagedLineAndWindows1252Configured_whenRead_thenItIsStillReadAsUtf8() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, concat("prodId,name,isTest\nP,Müller,true\nP,Prüfstand,true\nP,", new byte[] {(byte) 0xFC},
                "x,true\n"));
        var ansi = new LotFileReader.Options(1024, Separator.AUTO, LegacyEncoding.WINDOWS_1252, UnknownColumns.IGNORE);

        List<LotLine> lines;
        try (LotFileReader reader = LotFileReader.open(file, ansi)) {
            lines = new ArrayList<>();
            for (LotLine line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
            }
            assertThat(reader.format().encoding()).startsWith("UTF-8");
        }

        // Read as Windows-1252, every umlaut of the file would be garbled ("MÃ¼ller") for the sake of one damaged byte.
        assertThat(lines).extracting(LotLine::name).startsWith("Müller", "Prüfstand");
        assertThat(lines.get(2).error()).startsWith("not valid UTF-8");
    }

    @Test
    void givenAFileWithAUtf8ByteOrderMarkAndABadByte_whenRead_thenTheHintSaysReSaveOnly() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, concat("\uFEFFprodId,name,isTest\nP,", new byte[] {(byte) 0xFC}, "x,true\n"));
        assertThat(readAll(file)).extracting(LotLine::error).singleElement().asString()
                .contains("re-save it as UTF-8").doesNotContain("bulkreg.lots.charset").doesNotContain("Windows-1252");
    }

    @Test
    void givenUtf16WithoutByteOrderMark_whenOpened_thenTheRefusalSaysSo() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, "prodId,name,isTest\r\nP,n,true\r\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> LotFileReader.open(file))
                .hasMessageContaining("binary content (NUL byte); the file looks like UTF-16 without a byte order mark");
    }

    @Test
    void givenDuplicateColumn_whenOpened_thenNotALotFileNamesIt() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest,NAME\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .isInstanceOf(NotALotFileException.class)
                .hasMessageStartingWith(file + " line 1: not a lot file: duplicate column 'NAME'")
                .extracting("problem").isEqualTo(NotALotFileException.Problem.DUPLICATE_COLUMN);
    }

    @Test
    void givenDataRowInsteadOfHeader_whenOpened_thenNotALotFile() throws Exception {
        Path file = write("x.csv", "P1,n,true\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .hasMessageStartingWith(file + " line 1: not a lot file: missing columns 'prodId', 'name', 'isTest'")
                .hasMessageEndingWith("found: P1, n, true)");
    }

    @Test
    void givenEmptyFile_whenOpened_thenNotALotFileWithReasonEmptyFile() throws Exception {
        Path file = write("x.csv", "");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .isInstanceOf(NotALotFileException.class)
                .hasMessage(file + ": not a lot file: empty file")
                .extracting("problem", "reason")
                .containsExactly(NotALotFileException.Problem.EMPTY_FILE, "empty file");
    }

    @Test
    void givenBinaryFile_whenOpened_thenNotALotFileWithUnreadableHeader() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, new byte[] {0x1F, (byte) 0x8B, 0x08, 0x00, 0x00, '\n'});
        assertThatThrownBy(() -> LotFileReader.open(file))
                .isInstanceOf(NotALotFileException.class)
                .hasMessage(file + " line 1: not a lot file: unreadable header: binary content (NUL byte)")
                .extracting("problem").isEqualTo(NotALotFileException.Problem.UNREADABLE_HEADER);
    }

    @Test
    void givenHeaderOnly_whenRead_thenNoLines() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest\r\n");
        assertThat(readAll(file)).isEmpty();
    }

    @Test
    void givenWrongFieldCount_whenRead_thenThatLineCarriesTheErrorAndTheNextIsRead() throws Exception {
        Path file = write("x.csv", "lot,prodId,name,isTest,serial\nL,P,n,true,S,x,y\nL,P,n2,true,S\n");
        assertThat(readAll(file))
                .extracting(LotLine::line, LotLine::name, LotLine::error)
                .containsExactly(tuple(2L, null, "expected 5 fields, found 7"), tuple(3L, "n2", null));
    }

    @Test
    void givenUnreadableLine_whenRead_thenThatLineCarriesTheReaderErrorWithItsLine() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, concat("prodId,name,isTest\nP,", new byte[] {(byte) 0xFF}, ",true\nP,n,true\n"));
        assertThat(readAll(file))
                .extracting(LotLine::source, LotLine::error)
                .containsExactly(
                        tuple(file + ":2", "not valid UTF-8 (byte offset 2 in the record); the file looks like "
                                + "Windows-1252 (it would read 'ÿ'): re-save it as UTF-8 (Excel: \"CSV UTF-8\"), or set "
                                + "bulkreg.lots.charset=windows-1252 for this inbox (the next run then imports the file "
                                + "again and takes these lines)"),
                        tuple(file + ":3", null));
    }

    @Test
    void givenByteOrderMarkBeforeHeader_whenOpened_thenFirstColumnIsRecognised() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, concat("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "prodId,name,isTest\nP,n,true\n"));
        assertThat(readAll(file)).extracting(LotLine::prodId).containsExactly("P");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    static List<LotLine> readAll(Path file) throws Exception {
        try (LotFileReader reader = LotFileReader.open(file)) {
            List<LotLine> lines = new ArrayList<>();
            for (LotLine line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
            }
            return lines;
        }
    }
}
