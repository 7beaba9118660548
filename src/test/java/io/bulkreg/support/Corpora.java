package io.bulkreg.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The public corpora committed under src/test/resources/corpora (see their SOURCES.md). */
public final class Corpora {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Corpora() {
    }

    /** The Big List of Naughty Strings, in file order. */
    public static List<String> blns() {
        return strings(json("/corpora/blns/blns.json").values());
    }

    /**
     * Every field value of a csv-spectrum case, in row order then column order (from its JSON twin, so
     * they are the values the CSV is meant to decode to).
     */
    public static List<String> csvSpectrumValues(String caseName) {
        JsonNode rows = json("/corpora/csv-spectrum/json/" + caseName + ".json");
        List<String> values = new ArrayList<>();
        for (JsonNode row : rows.values()) {
            row.properties().forEach(e -> values.add(e.getValue().asString()));
        }
        return values;
    }

    private static List<String> strings(Iterable<JsonNode> nodes) {
        List<String> out = new ArrayList<>();
        nodes.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static JsonNode json(String resource) {
        try (InputStream in = Corpora.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test corpus " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
