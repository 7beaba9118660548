package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Path file = write("x.csv", "lot,prodId,name,isTest,serial,description\n,,,,,\n");
        assertThat(readAll(file)).containsExactly(
                new LotLine(file.toString(), 2, "", "", "", "", "", "", null));
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
                        + " (expected columns: lot, prodId, name, isTest, serial, description)")
                .extracting("problem").isEqualTo(NotALotFileException.Problem.MISSING_COLUMN);
    }

    @Test
    void givenSeveralMissingColumns_whenOpened_thenAllAreNamed() throws Exception {
        Path file = write("x.csv", "name\nn\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .hasMessageContaining("missing columns 'prodId', 'isTest'");
    }

    @Test
    void givenUnknownColumn_whenOpened_thenNotALotFileNamesIt() throws Exception {
        Path file = write("x.csv", "prodId,name,isTest,colour\n");
        assertThatThrownBy(() -> LotFileReader.open(file))
                .isInstanceOf(NotALotFileException.class)
                .hasMessageStartingWith(file + " line 1: not a lot file: unknown column 'colour'")
                .extracting("problem").isEqualTo(NotALotFileException.Problem.UNKNOWN_COLUMN);
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
                .hasMessageStartingWith(file + " line 1: not a lot file: unknown column 'P1'");
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
                        tuple(file + ":2", "not valid UTF-8 (byte offset 2 in the record)"),
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
