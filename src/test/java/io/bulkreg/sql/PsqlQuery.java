package io.bulkreg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A file of sql/queries/ through the real psql, as an operator runs it: psql -v lot=... -f sql/queries/FILE, in the test's schema. */
final class PsqlQuery {

    private static final String SEPARATOR = "\u001f";   // no value of the fixtures holds it

    private PsqlQuery() {
    }

    static List<Map<String, String>> run(TestDatabase db, String file, Map<String, String> variables) {
        String url = db.url();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        // jdbc:postgresql://host:port/db?user=u&currentSchema=s -> a libpq URI without the JDBC-only parameter
        String libpq = url.substring("jdbc:".length()).replaceAll("[?&]currentSchema=[^&]*", "");
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-A", "-F", SEPARATOR, "-P", "footer=off",
                "-v", "ON_ERROR_STOP=1", "-d", libpq, "-f", "sql/queries/" + file));
        variables.forEach((k, v) -> command.addAll(List.of("-v", k + "=" + v)));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
            pb.environment().put("PGOPTIONS", "-c search_path=" + schema);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("psql %s: %s", file, err).isZero();
            return parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, String>> parse(String out) {
        List<String> lines = out.lines().toList();
        List<Map<String, String>> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        String[] header = lines.get(0).split(SEPARATOR, -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(SEPARATOR, -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], values[i]);
            }
            rows.add(row);
        }
        return rows;
    }
}
