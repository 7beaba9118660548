package io.bulkreg.lot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every Big List of Naughty Strings entry, written as a properly quoted CSV field,
 * must come back from a lot file as exactly the same String.
 */
class BlnsRoundTripTest {

    private static final String CORPUS = "/corpora/blns/blns.json";
    private static final String NUL = "\0";
    /** blns 2.0.4 has 485 strings; none contains NUL (which the reader rejects as binary). */
    private static final int EXPECTED_STRINGS = 485;
    private static final int EXPECTED_SKIPPED_FOR_NUL = 0;
    private static final String FIXED_PROD_ID = "P-1";
    private static final String FIXED_IS_TEST = "true";
    private static final String FIXED_NAME = "device";

    @TempDir
    Path dir;

    @Test
    void givenBlnsCorpus_whenLoaded_thenAllStringsAreUsableAndNoneIsSkippedForNul() throws IOException {
        List<String> all = allStrings();
        assertThat(all).hasSize(EXPECTED_STRINGS);
        assertThat(all.stream().filter(s -> s.contains(NUL)).count()).isEqualTo(EXPECTED_SKIPPED_FOR_NUL);
    }

    @Test
    void givenEveryNaughtyStringAsName_whenWrittenQuotedAndRead_thenNamesComeBackExactly() throws Exception {
        List<String> strings = usableStrings();
        StringBuilder csv = new StringBuilder("prodId,name,isTest\r\n");
        strings.forEach(s -> csv.append(row(FIXED_PROD_ID, s, FIXED_IS_TEST)));
        Path file = Files.writeString(dir.resolve("blns-names.csv"), csv, StandardCharsets.UTF_8);

        List<LotLine> lines = LotFileReaderTest.readAll(file);

        assertThat(lines).extracting(LotLine::error).containsOnlyNulls();
        assertThat(lines).extracting(LotLine::name).containsExactlyElementsOf(strings);
    }

    @Test
    void givenEveryNaughtyStringAsDescription_whenWrittenQuotedAndRead_thenDescriptionsComeBackExactly()
            throws Exception {
        List<String> strings = usableStrings();
        StringBuilder csv = new StringBuilder("prodId,name,isTest,description\n");
        strings.forEach(s -> csv.append(row(FIXED_PROD_ID, FIXED_NAME, FIXED_IS_TEST, s)));
        Path file = Files.writeString(dir.resolve("blns-descriptions.csv"), csv, StandardCharsets.UTF_8);

        List<LotLine> lines = LotFileReaderTest.readAll(file);

        assertThat(lines).extracting(LotLine::error).containsOnlyNulls();
        assertThat(lines).extracting(LotLine::description).containsExactlyElementsOf(strings);
    }

    /** RFC 4180 writer: every field quoted, quotes doubled, CRLF record end. */
    private static String row(String... fields) {
        StringBuilder row = new StringBuilder();
        for (String field : fields) {
            if (!row.isEmpty()) {
                row.append(',');
            }
            row.append('"').append(field.replace("\"", "\"\"")).append('"');
        }
        return row.append("\r\n").toString();
    }

    private static List<String> usableStrings() throws IOException {
        return allStrings().stream().filter(s -> !s.contains(NUL)).toList();
    }

    private static List<String> allStrings() throws IOException {
        try (InputStream in = BlnsRoundTripTest.class.getResourceAsStream(CORPUS)) {
            JsonNode list = JsonMapper.builder().build().readTree(in);
            return list.values().stream().map(JsonNode::asString).toList();
        }
    }
}
