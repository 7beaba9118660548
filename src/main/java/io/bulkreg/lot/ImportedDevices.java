package io.bulkreg.lot;

import io.bulkreg.device.SkipLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The devices already in device_registration, as the import of one file asks about them: is a line a device
 * imported before (the same, or in conflict), or a new one? A device is its serial within its product (the
 * platform's own rule) or, without a serial, its name within its lot and product. Names and descriptions are
 * compared {@link LotText normalised} on both sides ("Bench" is "Bench ", NFC is NFD, an empty description is
 * none), so a near-identical line is the device already there, never a second one.
 *
 * <p>Rows are found by their identity hash (device_registration.identity_sha256, unique), a batch of lines at a
 * time: nothing is kept per line or per row for the whole file. Rows written without it (by upstream systems, or
 * before V12) are given it first ({@link #giveIdentities}).
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

    /** Rows given an identity per statement: a page of the rows that lack one. */
    private static final int PAGE = 1000;

    private final JdbcClient jdbc;
    private final boolean lotFromFileName;
    private final boolean postgres;
    /**
     * Files without lot column only: product -> normalised name -> serial-less rows of the product in other lots,
     * read once per product. Those rows are not this file's (its own lot is found by identity); they are few.
     */
    private final Map<String, Map<String, List<Holder>>> otherLots = new HashMap<>();

    ImportedDevices(JdbcClient jdbc, boolean lotFromFileName, boolean postgres) {
        this.jdbc = jdbc;
        this.lotFromFileName = lotFromFileName;
        this.postgres = postgres;
    }

    /**
     * What makes a device the same device on a second import: its serial within the product (the platform's own
     * rule), or, without a serial, its name within the lot and product. Without the latter, a lot file exported
     * again with one more line would register its serial-less devices a second time.
     */
    static String identity(String lotId, String prodId, String serial, String name) {
        return serial != null
                ? "serial\u0000" + prodId + "\u0000" + serial
                : "name\u0000" + LotText.normalized(lotId) + "\u0000" + prodId + "\u0000" + LotText.normalized(name);
    }

    static String sha256(MessageDigest digest, String text) {
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The rows holding these identity hashes, by hash; one query through the unique index. On PostgreSQL one probe of
     * the index per hash (a LATERAL subquery with LIMIT, which the planner cannot turn into a join): a table imported
     * into moments before has no statistics, and an {@code IN} list of a thousand hashes was planned as a sequential
     * scan of the whole table per batch (2.9 s a batch at 37,000 rows, the import quadratic in the table's size).
     */
    Map<String, Holder> holding(Collection<String> identityHashes) {
        Map<String, Holder> found = new HashMap<>();
        if (identityHashes.isEmpty()) {
            return found;
        }
        var statement = postgres
                ? jdbc.sql("SELECT d.* FROM unnest(string_to_array(:ids, ',')) AS k(h) CROSS JOIN LATERAL (SELECT "
                        + Holder.COLUMNS + " FROM device_registration WHERE identity_sha256 = CAST(k.h AS CHAR(64)) "
                        + "LIMIT 1) d").param("ids", String.join(",", identityHashes)) // hex: no comma
                : jdbc.sql("SELECT " + Holder.COLUMNS + " FROM device_registration WHERE identity_sha256 IN (:ids)")
                        .param("ids", identityHashes);
        statement.query(rs -> {
            Holder h = Holder.of(rs);
            found.put(h.identitySha256(), h);
        });
        return found;
    }

    /**
     * Whether the lot holds devices of the product without serial: only then can a line with a serial be one of them
     * imported before without it (its identity is the serial's, theirs the name's, and the two never meet). Asked per
     * batch through the serial-less index, so that lots whose devices all have a serial cost no more.
     */
    boolean holdsSerialless(String lotId, String prodId) {
        return jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM device_registration WHERE prod_id = :prod AND lot_id = :lot "
                        + "AND serial IS NULL FETCH FIRST 1 ROWS ONLY) s")
                .param("prod", prodId).param("lot", lotId).query(Integer.class).single() > 0;
    }

    /** A line whose identity is held by {@code holder} (null: by nobody). */
    Match compared(LotLine line, boolean isTest, Holder holder) {
        if (holder == null) {
            if (line.serial() == null && lotFromFileName) {
                List<Holder> named = otherLotsOf(line.prodId(), line.lotId()).getOrDefault(LotText.normalized(line.name()), List.of());
                for (Holder h : named) {
                    if (!Objects.equals(LotText.normalized(h.lotId()), line.lotId())) {
                        return new Match(Kind.IN_ANOTHER_LOT, h, List.of());
                    }
                }
            }
            return Match.NEW;
        }
        List<String> d = holder.differencesFrom(line, isTest, !lotFromFileName);
        return new Match(d.isEmpty() ? Kind.SAME : Kind.CONFLICT, holder, d);
    }

    /**
     * Whether {@link #compared} would find this line in another lot were its identity held by no row: a serial-less
     * line of a file without lot column whose name another lot of the product holds.
     */
    boolean mayBeInAnotherLot(LotLine line) {
        return compared(line, false, null).kind() == Kind.IN_ANOTHER_LOT;
    }

    /** @param fileLot the lot of the file (named after it), the same for all its lines */
    private Map<String, List<Holder>> otherLotsOf(String prodId, String fileLot) {
        return otherLots.computeIfAbsent(prodId, k -> {
            Map<String, List<Holder>> byName = new HashMap<>();
            jdbc.sql("SELECT " + Holder.COLUMNS + " FROM device_registration WHERE prod_id = :prod AND serial IS NULL "
                            + "AND lot_id <> :lot")
                    .param("prod", prodId)
                    .param("lot", fileLot)
                    .query(rs -> {
                        Holder h = Holder.of(rs);
                        byName.computeIfAbsent(LotText.normalized(h.name()), n -> new ArrayList<>()).add(h);
                    });
            return byName;
        });
    }

    /**
     * Gives the rows that lack one (written by upstream systems, or before V12) their identity hash, a page at a
     * time, so that the import finds them by it. A row whose identity another row already holds (an upstream
     * duplicate of a serial-less device) keeps none: the holder stands for the device.
     *
     * @return how many rows were given one
     */
    static int giveIdentities(JdbcClient jdbc, JdbcTemplate jdbcTemplate) {
        MessageDigest digest = digest();
        int given = 0;
        long after = 0;
        while (true) {
            Map<String, Long> page = new LinkedHashMap<>();
            long[] last = {-1};
            jdbc.sql("SELECT id, lot_id, prod_id, name, serial FROM device_registration WHERE identity_sha256 IS NULL "
                            + "AND id > :after ORDER BY id FETCH FIRST " + PAGE + " ROWS ONLY")
                    .param("after", after)
                    .query(rs -> {
                        last[0] = rs.getLong(1);
                        page.putIfAbsent(sha256(digest, identity(rs.getString(2), rs.getString(3), rs.getString(5),
                                rs.getString(4))), rs.getLong(1));
                    });
            if (last[0] < 0) {
                return given;
            }
            after = last[0];
            Set<String> held = new HashSet<>(jdbc.sql("SELECT identity_sha256 FROM device_registration "
                    + "WHERE identity_sha256 IN (:ids)").param("ids", page.keySet()).query(String.class).list());
            List<Object[]> updates = new ArrayList<>();
            page.forEach((hash, id) -> {
                if (!held.contains(hash)) {
                    updates.add(new Object[] {hash, id});
                }
            });
            jdbcTemplate.batchUpdate("UPDATE device_registration SET identity_sha256 = ? WHERE id = ?", updates);
            given += updates.size();
        }
    }

    /** The row that holds a device's identity, with what a line must repeat to be the same device. */
    record Holder(long id, String lotId, String prodId, String name, boolean isTest, String serial,
            String description, String status, Long lotFileId, String source, String identitySha256) {

        static final String COLUMNS = "id, lot_id, prod_id, name, is_test, serial, description, status, lot_file_id, "
                + "source, identity_sha256";

        static Holder of(ResultSet rs) throws SQLException {
            long lotFileId = rs.getLong(9);
            return new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.wasNull() ? null : lotFileId,
                    rs.getString(10), rs.getString(11));
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
