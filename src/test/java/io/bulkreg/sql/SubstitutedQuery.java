package io.bulkreg.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/** A file of sql/queries/ on H2, which has no psql: the variables go in as psql would put them (:'lot' a quoted literal, :run as is). */
final class SubstitutedQuery {

    private static final Pattern VARIABLE = Pattern.compile(":'(\\w+)'|:(\\w+)");

    private SubstitutedQuery() {
    }

    static List<Map<String, String>> run(JdbcTemplate jdbc, String file, Map<String, String> variables) {
        // psql leaves comments alone: so does this
        String sql = substitute(read(Path.of("sql/queries", file)).replaceAll("(?m)--.*$", ""), variables).strip();
        sql = sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;
        List<Map<String, String>> rows = new ArrayList<>();
        jdbc.query(sql, rs -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                Object v = rs.getObject(i);
                // as psql -A prints them: NULL as nothing, booleans as t/f
                String text = v == null ? "" : v instanceof Boolean b ? (b ? "t" : "f") : rs.getString(i);
                row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), text);
            }
            rows.add(row);
        });
        return rows;
    }

    static String substitute(String sql, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("the query needs psql variable " + name);
            }
            String replacement = m.group(1) != null ? "'" + value.replace("'", "''") + "'" : value;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
