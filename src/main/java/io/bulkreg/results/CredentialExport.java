package io.bulkreg.results;

import io.bulkreg.device.CsvField;
import io.bulkreg.device.DeviceKeyVault;
import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.NewTransaction;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** Writes the credentials of one lot, decrypted, for flashing onto devices. */
@Component
public class CredentialExport {

    private static final ObjectWriter PRETTY_JSON = JsonMapper.builder().build().writerWithDefaultPrettyPrinter();

    public enum Format {
        CSV, JSON
    }

    /** {@code platform}: the platform that issued the credential, as recorded; empty for requests that predate the record. */
    public record Exported(String prodId, String serial, String name, String deviceId, String deviceKey, String chipName,
            String platform) {
        @Override
        public String toString() {
            return "Exported[deviceId=" + deviceId + ", deviceKey=***]";
        }
    }

    /** Rows read from the database at a time: a lot of a million credentials is written, never held in memory. */
    static final int FETCH = 1_000;
    /**
     * Credentials written between two looks at whether the output still takes them: a full disk or a closed pipe
     * stops the export there, not after the whole lot was read and decrypted for nothing.
     */
    static final int LOOK_AT_OUTPUT_EVERY = 100;

    /**
     * The output refused what was written (a full file system, an I/O error, a closed pipe): the export stopped after
     * {@code written} credentials. The message names no key.
     */
    public static final class OutputRefused extends RuntimeException {
        private final int written;

        OutputRefused(int written) {
            super("the output refused the credentials after " + written + " of them");
            this.written = written;
        }

        public int written() {
            return written;
        }
    }

    private final JdbcClient jdbc;
    private final DeviceKeyVault vault;
    private final NewTransaction transaction;

    public CredentialExport(JdbcClient jdbc, DeviceKeyVault vault, NewTransaction transaction) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.transaction = transaction;
    }

    /** The lot's credentials, one at a time in the order of their rows, each decrypted as it is read. */
    public void eachCredential(String lot, Consumer<Exported> each) {
        transaction.readOnly(() -> {
            jdbc.sql("SELECT d.prod_id, d.serial, d.name, d.device_id, d.device_key, d.device_key_id, d.chip_name, d.id, "
                            + "r.platform FROM device_registration d LEFT JOIN registration_request r "
                            + "ON r.request_id = d.request_id WHERE d.lot_id = :lot AND d.status = :registered ORDER BY d.id")
                    .param("lot", lot)
                    .param("registered", DeviceStatus.REGISTERED.name())
                    .withFetchSize(FETCH)
                    .query(rs -> {
                        each.accept(new Exported(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                vault.open(rs.getString(5), rs.getString(6), rs.getLong(8)), rs.getString(7),
                                rs.getString(9) == null ? "" : rs.getString(9)));
                    });
            return null;
        });
    }

    /** What was written: how many credentials, issued by which platforms (as recorded), how many by an unrecorded one. */
    public record Written(int credentials, SortedSet<String> platforms, long unrecorded) {
    }

    /** Writes the lot's credentials as they are read; {@code out}'s own error flag says whether it took them. */
    public Written write(String lot, Format format, PrintWriter out) {
        return write(lot, format, out, out::checkError);
    }

    /**
     * Writes the lot's credentials as they are read (CSV lines, or the elements of one JSON array), looking now and then
     * at {@code outputFailed} (a PrintWriter keeps its write errors to itself until asked).
     *
     * @throws OutputRefused as soon as {@code outputFailed} says so, before the rest of the lot is read
     */
    public Written write(String lot, Format format, PrintWriter out, BooleanSupplier outputFailed) {
        int[] count = {0};
        long[] unrecorded = {0};
        SortedSet<String> platforms = new TreeSet<>();
        Consumer<Exported> counted = r -> {
            if (count[0] % LOOK_AT_OUTPUT_EVERY == 0 && count[0] > 0 && outputFailed.getAsBoolean()) {
                throw new OutputRefused(count[0]);
            }
            count[0]++;
            if (r.platform().isEmpty()) {
                unrecorded[0]++;
            } else {
                platforms.add(r.platform());
            }
        };
        if (format == Format.JSON) {
            // The output is the caller's to close (standard output, or a file it renames into place); an export that
            // fails halfway leaves its array open, never a well-formed array that is short.
            try (JsonGenerator json = PRETTY_JSON.without(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .without(StreamWriteFeature.AUTO_CLOSE_CONTENT).createGenerator(out)) {
                json.writeStartArray();
                eachCredential(lot, counted.andThen(r -> json.writePOJO(json(r))));
                json.writeEndArray();
            }
            out.println();
        } else {
            out.println("prodId,serial,name,deviceId,deviceKey,chipName,platform");
            eachCredential(lot, counted.andThen(r -> out.println(String.join(",", CsvField.of(r.prodId()),
                    CsvField.of(r.serial()), CsvField.of(r.name()), CsvField.of(r.deviceId()), CsvField.of(r.deviceKey()),
                    CsvField.of(r.chipName()), CsvField.of(r.platform())))));
        }
        out.flush();
        if (outputFailed.getAsBoolean()) {
            throw new OutputRefused(count[0]);
        }
        return new Written(count[0], platforms, unrecorded[0]);
    }

    /** Every field, in the CSV's order; absent values as empty strings, so that each object has the same keys. */
    private static Map<String, String> json(Exported r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("prodId", r.prodId());
        m.put("serial", r.serial() == null ? "" : r.serial());
        m.put("name", r.name());
        m.put("deviceId", r.deviceId());
        m.put("deviceKey", r.deviceKey());
        m.put("chipName", r.chipName() == null ? "" : r.chipName());
        m.put("platform", r.platform());
        return m;
    }

}
