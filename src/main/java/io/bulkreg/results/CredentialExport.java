package io.bulkreg.results;

import io.bulkreg.device.CsvField;
import io.bulkreg.device.DeviceKeyVault;
import io.bulkreg.device.DeviceStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
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

    private final JdbcClient jdbc;
    private final DeviceKeyVault vault;

    public CredentialExport(JdbcClient jdbc, DeviceKeyVault vault) {
        this.jdbc = jdbc;
        this.vault = vault;
    }

    public List<Exported> credentials(String lot) {
        return jdbc.sql("SELECT d.prod_id, d.serial, d.name, d.device_id, d.device_key, d.device_key_id, d.chip_name, d.id, "
                + "r.platform FROM device_registration d LEFT JOIN registration_request r ON r.request_id = d.request_id "
                + "WHERE d.lot_id = :lot AND d.status = :registered ORDER BY d.id")
                .param("lot", lot)
                .param("registered", DeviceStatus.REGISTERED.name())
                .query((rs, n) -> new Exported(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        vault.open(rs.getString(5), rs.getString(6), rs.getLong(8)), rs.getString(7),
                        rs.getString(9) == null ? "" : rs.getString(9)))
                .list();
    }

    /** What was written: how many credentials, issued by which platforms (as recorded), how many by an unrecorded one. */
    public record Written(int credentials, SortedSet<String> platforms, long unrecorded) {
    }

    public Written write(String lot, Format format, PrintWriter out) {
        List<Exported> rows = credentials(lot);
        if (format == Format.JSON) {
            out.println(PRETTY_JSON.writeValueAsString(
                    rows.stream().map(CredentialExport::json).toList()));
        } else {
            out.println("prodId,serial,name,deviceId,deviceKey,chipName,platform");
            for (Exported r : rows) {
                out.println(String.join(",", CsvField.of(r.prodId()), CsvField.of(r.serial()), CsvField.of(r.name()), CsvField.of(r.deviceId()),
                        CsvField.of(r.deviceKey()), CsvField.of(r.chipName()), CsvField.of(r.platform())));
            }
        }
        out.flush();
        return new Written(rows.size(), rows.stream().map(Exported::platform).filter(p -> !p.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new)), rows.stream().filter(r -> r.platform().isEmpty()).count());
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
