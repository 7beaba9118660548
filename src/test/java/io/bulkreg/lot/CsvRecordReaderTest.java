package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Nested
    @DisplayName("structure")
    class Structure {

        @Test
        void givenSimpleLines_whenRead_thenEachLineIsARecordOfItsFields() throws IOException {
            assertThat(read("a,b,c\n1,2,3\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of("a", "b", "c"), null),
                            tuple(2L, List.of("1", "2", "3"), null));
        }

        @Test
        void givenEmptyInput_whenRead_thenNoRecordAndNextStaysNull() throws IOException {
            try (CsvRecordReader reader = reader(new byte[0])) {
                assertThat(reader.next()).isNull();
                assertThat(reader.next()).isNull();
            }
        }

        @Test
        void givenNoTrailingLineEnd_whenRead_thenLastRecordIsStillRead() throws IOException {
            assertThat(fieldsOf(read("a,b\n1,2"))).containsExactly(List.of("a", "b"), List.of("1", "2"));
        }

        @Test
        void givenTrailingLineEnd_whenRead_thenNoExtraRecord() throws IOException {
            assertThat(read("a\r\n")).hasSize(1);
        }

        @Test
        void givenEmptyFields_whenRead_thenTheyAreEmptyStrings() throws IOException {
            assertThat(fieldsOf(read(",x,,\"\",\n"))).containsExactly(List.of("", "x", "", "", ""));
        }

        @Test
        void givenQuotedCommasAndEscapedQuotes_whenRead_thenFieldIsUnescaped() throws IOException {
            assertThat(fieldsOf(read("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n")))
                    .containsExactly(List.of("a,b", "say \"hi\"", "\""));
        }

        @Test
        void givenSurroundingSpaces_whenRead_thenTheyAreKept() throws IOException {
            assertThat(fieldsOf(read(" a , b \n"))).containsExactly(List.of(" a ", " b "));
        }

        @Test
        void givenLoneCr_whenRead_thenItEndsTheRecord() throws IOException {
            assertThat(read("a\rb\rc"))
                    .extracting(CsvRecord::line, CsvRecord::fields)
                    .containsExactly(tuple(1L, List.of("a")), tuple(2L, List.of("b")), tuple(3L, List.of("c")));
        }

        @Test
        void givenEmptyLinesOfEveryKind_whenRead_thenTheyAreSkippedButCounted() throws IOException {
            assertThat(read("\n\r\n\ra\n\n\r\nb\n\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields)
                    .containsExactly(tuple(4L, List.of("a")), tuple(7L, List.of("b")));
        }

        @Test
        void givenByteOrderMark_whenRead_thenItIsNotPartOfTheFirstField() throws IOException {
            assertThat(read(concat(BOM, utf8("id,name\n1,x\n"))))
                    .extracting(CsvRecord::line, CsvRecord::fields)
                    .containsExactly(tuple(1L, List.of("id", "name")), tuple(2L, List.of("1", "x")));
        }

        @Test
        void givenByteOrderMarkOnly_whenRead_thenNoRecord() throws IOException {
            assertThat(read(BOM)).isEmpty();
        }

        @Test
        void givenByteOrderMarkAfterTheStart_whenRead_thenItIsKeptAsContent() throws IOException {
            assertThat(fieldsOf(read(concat(utf8("a\n"), BOM, utf8("b\n")))))
                    .containsExactly(List.of("a"), List.of("\uFEFFb"));
        }
    }

    @Nested
    @DisplayName("line numbers")
    class LineNumbers {

        @Test
        void givenQuotedLineFeeds_whenRead_thenFollowingRecordsKeepTheirPhysicalLine() throws IOException {
            assertThat(read("h\n\"one\ntwo\nthree\"\nnext\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields)
                    .containsExactly(
                            tuple(1L, List.of("h")),
                            tuple(2L, List.of("one\ntwo\nthree")),
                            tuple(5L, List.of("next")));
        }

        @Test
        void givenQuotedCrlf_whenRead_thenItIsKeptAsContentAndCountedAsOneLine() throws IOException {
            assertThat(read("h\r\n\"one\r\ntwo\",x\r\nnext\r\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields)
                    .containsExactly(
                            tuple(1L, List.of("h")),
                            tuple(2L, List.of("one\r\ntwo", "x")),
                            tuple(4L, List.of("next")));
        }

        @Test
        void givenQuotedLoneCr_whenRead_thenItIsKeptAsContentAndCountedAsOneLine() throws IOException {
            assertThat(read("\"a\rb\"\nnext"))
                    .extracting(CsvRecord::line, CsvRecord::fields)
                    .containsExactly(tuple(1L, List.of("a\rb")), tuple(3L, List.of("next")));
        }

        @Test
        void givenManyRecordsStreamed_whenRead_thenLastLineNumberIsExact() throws IOException {
            int records = 200_000;
            try (CsvRecordReader reader = new CsvRecordReader(new RepeatingInput(utf8("LOT-1,P,\"dev\nice\",true\r\n"), records))) {
                CsvRecord last = null;
                int count = 0;
                for (CsvRecord r = reader.next(); r != null; r = reader.next()) {
                    last = r;
                    count++;
                }
                assertThat(count).isEqualTo(records);
                assertThat(last.line()).isEqualTo(2L * records - 1);
                assertThat(last.fields()).containsExactly("LOT-1", "P", "dev\nice", "true");
            }
        }
    }

    @Nested
    @DisplayName("bad records")
    class BadRecords {

        @Test
        void givenInvalidUtf8InOneLine_whenRead_thenThatRecordErrorsWithLineAndOffsetAndTheNextIsRead() throws IOException {
            byte[] input = concat(utf8("h\nab,c"), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\nok\n"));
            assertThat(read(input))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of("h"), null),
                            tuple(2L, List.of(), "not valid UTF-8 (byte offset 4 in the record)"),
                            tuple(3L, List.of("ok"), null));
        }

        @Test
        void givenInvalidUtf8InsideMultiLineQuotedField_whenRead_thenFollowingLineNumbersStayExact() throws IOException {
            byte[] input = concat(utf8("\"a\n"), new byte[] {(byte) 0xFF}, utf8("\"\nok\n"));
            assertThat(read(input))
                    .extracting(CsvRecord::line, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, "not valid UTF-8 (byte offset 3 in the record)"),
                            tuple(3L, null));
        }

        @Test
        void givenTruncatedByteOrderMark_whenRead_thenFirstRecordIsNotValidUtf8() throws IOException {
            assertThat(read(concat(new byte[] {(byte) 0xEF, (byte) 0xBB}, utf8("a\nb\n"))))
                    .extracting(CsvRecord::line, CsvRecord::error)
                    .containsExactly(tuple(1L, "not valid UTF-8 (byte offset 0 in the record)"), tuple(2L, null));
        }

        @Test
        void givenUtf8EncodedSurrogate_whenRead_thenRecordIsNotValidUtf8() throws IOException {
            byte[] cesu8Surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
            assertThat(read(concat(utf8("x"), cesu8Surrogate))).extracting(CsvRecord::error)
                    .containsExactly("not valid UTF-8 (byte offset 1 in the record)");
        }

        @Test
        void givenNulByte_whenRead_thenRecordIsBinaryContentAndTheNextIsRead() throws IOException {
            assertThat(read(concat(utf8("a,b"), new byte[] {0}, utf8("c\nok\n"))))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "binary content (NUL byte)"),
                            tuple(2L, List.of("ok"), null));
        }

        @Test
        void givenUnterminatedQuote_whenEndOfInput_thenOnlyItsLineErrorsAndTheLinesAfterItAreRead() throws IOException {
            assertThat(read("h\n1,\"open\nmore\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(tuple(1L, List.of("h"), null),
                            tuple(2L, List.of(), "a quoted field opened on this line does not end properly (read on: "
                                    + "unterminated quoted field); the lines after it are read on their own"),
                            tuple(3L, List.of("more"), null));
        }

        @Test
        void givenAFieldThatOpensAQuoteAndALaterLineThatHasOne_whenRead_thenOnlyTheFirstLineIsLost() throws IOException {
            // An unquoted file where one field starts with a quote (12" written as "12in): the next quote in the file,
            // lines further on, would close it mid-line.
            String lines = "P1,\"12in display,true,S1\nP2,Two,false,S2\nP3,Three,false,S3\nP4,\"Four\",false,S4\nP5,Five,false,S5\n";

            assertThat(read(lines))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "a quoted field opened on this line does not end properly (read on: "
                                    + "unexpected character after the closing quote of a field); the lines after it are "
                                    + "read on their own"),
                            tuple(2L, List.of("P2", "Two", "false", "S2"), null),
                            tuple(3L, List.of("P3", "Three", "false", "S3"), null),
                            tuple(4L, List.of("P4", "Four", "false", "S4"), null),
                            tuple(5L, List.of("P5", "Five", "false", "S5"), null));
        }

        @Test
        void givenTheSizeLimitFallingOnALineEndInsideAnOpenQuote_whenRead_thenThatLineEndIsReadAgainToo() throws IOException {
            assertThat(read("a,\"xx\nb,c\nd,e\nf,g\n", 9))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "a quoted field opened on this line does not end properly (read on: "
                                    + "record longer than 9 bytes); the lines after it are read on their own"),
                            tuple(2L, List.of("b", "c"), null),
                            tuple(3L, List.of("d", "e"), null),
                            tuple(4L, List.of("f", "g"), null));
        }

        @Test
        void givenAFieldOverSeveralLinesThatClosesAndIsFollowedByAStrayCharacter_whenRead_thenItsLinesAreNoRecords()
                throws IOException {
            // The quote closed after text: a description over three lines, broken after its end. Its middle line must
            // not come back as a record of its own (it could look like a device).
            assertThat(read("dev1,\"Mount:\nwall,indoor,IP54\nScreen\" x,SN1\nnext\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "unexpected character after the closing quote of a field"),
                            tuple(4L, List.of("next"), null));
        }

        @Test
        void givenAnOpeningQuoteThatRunsToTheSizeLimit_whenRead_thenTheLinesItRanOverAreReadOnTheirOwn() throws IOException {
            StringBuilder lines = new StringBuilder("P0,\"never closed,true,S0\n");
            for (int i = 1; i <= 50; i++) {
                lines.append("P").append(i).append(",Name ").append(i).append(",false,S").append(i).append('\n');
            }

            List<CsvRecord> records = read(lines.toString(), 256);

            assertThat(records).hasSize(51);
            assertThat(records.get(0).error()).startsWith("a quoted field opened on this line does not end properly "
                    + "(read on: record longer than 256 bytes)");
            assertThat(records.subList(1, 51)).extracting(CsvRecord::error).containsOnlyNulls();
            assertThat(records.get(50).line()).isEqualTo(51L);
            assertThat(records.get(50).fields()).containsExactly("P50", "Name 50", "false", "S50");
        }

        @Test
        void givenQuoteInsideUnquotedField_whenRead_thenRecordErrorsAndTheNextIsRead() throws IOException {
            assertThat(read("a\"b,c\nok\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "quote inside an unquoted field"),
                            tuple(2L, List.of("ok"), null));
        }

        @Test
        void givenTextAfterClosingQuote_whenRead_thenRecordErrorsAndTheNextIsRead() throws IOException {
            assertThat(read("\"ab\"c,d\nok\n"))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "unexpected character after the closing quote of a field"),
                            tuple(2L, List.of("ok"), null));
        }

        @Test
        void givenRecordAtTheSizeLimit_whenRead_thenItIsAccepted() throws IOException {
            assertThat(read("abcd,efgh\nok\n", 9)).extracting(CsvRecord::error).containsOnlyNulls();
        }

        @Test
        void givenOversizedRecord_whenRead_thenItErrorsAndReadingResumesAtTheNextLine() throws IOException {
            assertThat(read("ok\n" + "x".repeat(100) + ",y\nnext\n", 16))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of("ok"), null),
                            tuple(2L, List.of(), "record longer than 16 bytes"),
                            tuple(3L, List.of("next"), null));
        }

        @Test
        void givenOversizedRecordInAnEndlessQuote_whenRead_thenReadingResumesAfterItsFirstLine() throws IOException {
            // The limit is hit on line 2 inside the quote opened on line 1: line 1 is lost, line 2 is read again on its
            // own (and is too long itself), line 3 is read normally.
            assertThat(read("\"abc\n" + "y".repeat(40) + "\nnext\n", 16))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "a quoted field opened on this line does not end properly (read on: "
                                    + "record longer than 16 bytes); the lines after it are read on their own"),
                            tuple(2L, List.of(), "record longer than 16 bytes"),
                            tuple(3L, List.of("next"), null));
        }

        @Test
        void givenLimitReachedExactlyAtQuotedCrlf_whenRead_thenTheLineAfterIsNotSkipped() throws IOException {
            assertThat(read("\"abc\r\nde\"\nnext\n", 4))
                    .extracting(CsvRecord::line, CsvRecord::fields, CsvRecord::error)
                    .containsExactly(
                            tuple(1L, List.of(), "a quoted field opened on this line does not end properly (read on: "
                                    + "record longer than 4 bytes); the lines after it are read on their own"),
                            tuple(2L, List.of(), "quote inside an unquoted field"),
                            tuple(3L, List.of("next"), null));
        }

        @Test
        void givenHugeLineWithoutLineEnd_whenRead_thenOneErrorAndNoUnboundedBuffering() throws IOException {
            // 64 MiB generated on the fly: the reader keeps at most the 1 KiB limit of it
            // (see RecordBytes); this pins down that it then skips to EOF with one error.
            long size = 64L * 1024 * 1024;
            try (CsvRecordReader reader = new CsvRecordReader(new RepeatingInput(utf8("z"), size), 1024)) {
                assertThat(reader.next().error()).isEqualTo("record longer than 1024 bytes");
                assertThat(reader.next()).isNull();
            }
        }
    }

    private static List<CsvRecord> read(String input) throws IOException {
        return read(utf8(input));
    }

    private static List<CsvRecord> read(String input, int maxRecordBytes) throws IOException {
        return readAll(new CsvRecordReader(new ByteArrayInputStream(utf8(input)), maxRecordBytes));
    }

    private static List<CsvRecord> read(byte[] input) throws IOException {
        return readAll(reader(input));
    }

    private static CsvRecordReader reader(byte[] input) {
        return new CsvRecordReader(new ByteArrayInputStream(input));
    }

    private static List<CsvRecord> readAll(CsvRecordReader reader) throws IOException {
        try (reader) {
            List<CsvRecord> records = new ArrayList<>();
            for (CsvRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
            return records;
        }
    }

    private static List<List<String>> fieldsOf(List<CsvRecord> records) {
        return records.stream().map(CsvRecord::fields).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Endless-file stand-in: repeats a pattern up to a byte count without holding it in memory. */
    private static final class RepeatingInput extends InputStream {
        private final byte[] pattern;
        private long remaining;
        private int index;

        RepeatingInput(byte[] pattern, long times) {
            this.pattern = pattern;
            this.remaining = pattern.length * times;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            int b = pattern[index] & 0xFF;
            index = (index + 1) % pattern.length;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = pattern[index];
                index = (index + 1) % pattern.length;
            }
            remaining -= n;
            return n;
        }
    }
}
