package io.bulkreg.lot;

import io.bulkreg.device.SkipLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The devices already in device_registration, as the import of one file asks about them: is a line a device
 * imported before (the same, or in conflict), or a new one? A device is its serial within its product (the
 * platform's own rule) or, without a serial, its name within its lot and product. Names and descriptions are
 * compared {@link LotText normalised} on both sides ("Bench" is "Bench ", NFC is NFD, an empty description is
 * none), so a near-identical line is the device already there, never a second one.
 *
 * <p>A file without a lot column names its lot after the file. Its lot is then no content: a serialled line
 * under another lot is the same device, and a serial-less line whose name is already in another lot of the
 * product may well be the same device exported again (a cumulative export named export-1102.csv repeats
 * export-1101.csv): it is not imported, never registered twice.
 */
final class ImportedDevices {

    /** How a line stands against the table. */
    enum Kind {
        NEW,
        /** The device is there with the same content: a corrected or cumulative file. */
        SAME,
        /** The device is there with other content: {@link Match#differences()}. */
        CONFLICT,
        /** A serial-less line of a file without lot column whose name is in another lot of the product. */
        IN_ANOTHER_LOT
    }

    record Match(Kind kind, Holder holder, List<String> differences) {
        static final Match NEW = new Match(Kind.NEW, null, List.of());
    }

    private static final int IN_LIST = 500;

    private final JdbcClient jdbc;
    private final boolean lotFromFileName;
    /** product (and lot, for files with a lot column) -> normalised name -> serial-less rows */
    private final Map<String, Map<String, List<Holder>>> serialLess = new HashMap<>();

    ImportedDevices(JdbcClient jdbc, boolean lotFromFileName) {
        this.jdbc = jdbc;
        this.lotFromFileName = lotFromFileName;
    }

    /** @param lines normalised lines; {@code isTest} their parsed test flags, in the same order */
    List<Match> match(List<LotLine> lines, List<Boolean> isTest) {
        Map<String, Holder> bySerial = serialled(lines);
        List<Match> matches = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            LotLine line = lines.get(i);
            matches.add(line.serial() != null
                    ? compared(line, isTest.get(i), bySerial.get(line.prodId() + "\u0000" + line.serial()))
                    : serialLess(line, isTest.get(i)));
        }
        return matches;
    }

    private Match serialLess(LotLine line, boolean isTest) {
        List<Holder> named = serialLessOf(line).getOrDefault(LotText.normalized(line.name()), List.of());
        for (Holder h : named) {
            if (Objects.equals(LotText.normalized(h.lotId()), line.lotId())) {
                return compared(line, isTest, h);
            }
        }
        if (lotFromFileName && !named.isEmpty()) {
            return new Match(Kind.IN_ANOTHER_LOT, named.get(0), List.of());
        }
        return Match.NEW;
    }

    private Match compared(LotLine line, boolean isTest, Holder holder) {
        if (holder == null) {
            return Match.NEW;
        }
        List<String> d = holder.differencesFrom(line, isTest, !lotFromFileName);
        return new Match(d.isEmpty() ? Kind.SAME : Kind.CONFLICT, holder, d);
    }

    /** Rows holding the serial of a candidate, per product so that the (prod_id, serial) index serves it. */
    private Map<String, Holder> serialled(List<LotLine> lines) {
        Map<String, List<String>> serialsByProduct = new LinkedHashMap<>();
        lines.stream().filter(l -> l.serial() != null).forEach(l ->
                serialsByProduct.computeIfAbsent(l.prodId(), k -> new ArrayList<>()).add(l.serial()));
        Map<String, Holder> taken = new HashMap<>();
        serialsByProduct.forEach((prod, serials) -> {
            List<String> distinct = serials.stream().distinct().toList();
            for (int from = 0; from < distinct.size(); from += IN_LIST) {
                jdbc.sql("SELECT " + Holder.COLUMNS + " FROM device_registration WHERE prod_id = :prod AND serial IN (:serials)")
                        .param("prod", prod)
                        .param("serials", distinct.subList(from, Math.min(distinct.size(), from + IN_LIST)))
                        .query(rs -> {
                            Holder h = Holder.of(rs);
                            taken.put(h.prodId() + "\u0000" + h.serial(), h);
                        });
            }
        });
        return taken;
    }

    /**
     * The serial-less rows of the line's product (and lot, when the file has a lot column), by normalised name:
     * read once per file through the (prod_id, lot_id) index. Devices without a serial are few.
     */
    private Map<String, List<Holder>> serialLessOf(LotLine line) {
        String key = lotFromFileName ? line.prodId() : line.prodId() + "\u0000" + line.lotId();
        return serialLess.computeIfAbsent(key, k -> {
            Map<String, List<Holder>> byName = new HashMap<>();
            var query = jdbc.sql("SELECT " + Holder.COLUMNS + " FROM device_registration WHERE prod_id = :prod "
                    + "AND serial IS NULL" + (lotFromFileName ? "" : " AND lot_id = :lot")).param("prod", line.prodId());
            if (!lotFromFileName) {
                query = query.param("lot", line.lotId());
            }
            query.query(rs -> {
                Holder h = Holder.of(rs);
                byName.computeIfAbsent(LotText.normalized(h.name()), n -> new ArrayList<>()).add(h);
            });
            return byName;
        });
    }

    /** The row that holds a device's identity, with what a line must repeat to be the same device. */
    record Holder(long id, String lotId, String prodId, String name, boolean isTest, String serial,
            String description, String status) {

        static final String COLUMNS = "id, lot_id, prod_id, name, is_test, serial, description, status";

        static Holder of(ResultSet rs) throws SQLException {
            return new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                    rs.getString(6), rs.getString(7), rs.getString(8));
        }

        /**
         * "name 'B' here, 'A' there", one per field that differs, both sides normalised (an empty description is
         * none); empty when the line is this device.
         */
        List<String> differencesFrom(LotLine line, boolean lineIsTest, boolean lotIsContent) {
            List<String> d = new ArrayList<>();
            if (lotIsContent) {
                differs(d, "lot", line.lotId(), LotText.normalized(lotId));
            }
            differs(d, "name", LotText.normalized(line.name()), LotText.normalized(name));
            differs(d, "isTest", String.valueOf(lineIsTest), String.valueOf(isTest));
            differs(d, "description", LotText.optional(line.description()), LotText.optional(description));
            return d;
        }

        private static void differs(List<String> out, String field, String here, String there) {
            if (!Objects.equals(here, there)) {
                out.add(field + " " + shown(here) + " here, " + shown(there) + " there");
            }
        }

        private static String shown(String value) {
            return value == null ? "none" : "'" + SkipLog.truncate(value, 60) + "'";
        }

        @Override
        public String toString() {
            return "row " + id + " of lot '" + lotId + "', " + status;
        }
    }
}
