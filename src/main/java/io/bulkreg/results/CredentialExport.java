package io.bulkreg.results;

import io.bulkreg.registration.DeviceStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the credentials of one lot, decrypted, for flashing onto devices. */
@Component
public class CredentialExport {

    public enum Format {
        CSV, JSON
    }

    public record Exported(String prodId, String serial, String name, String deviceId, String deviceKey, String chipName) {
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
        return jdbc.sql("SELECT prod_id, serial, name, device_id, device_key, device_key_id, chip_name, id "
                + "FROM device_registration WHERE lot_id = :lot AND status = :registered ORDER BY id")
                .param("lot", lot)
                .param("registered", DeviceStatus.REGISTERED.name())
                .query((rs, n) -> new Exported(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        vault.open(rs.getString(5), rs.getString(6), rs.getLong(8)), rs.getString(7)))
                .list();
    }

    /** @return the number of credentials written */
    public int write(String lot, Format format, PrintWriter out) {
        List<Exported> rows = credentials(lot);
        if (format == Format.JSON) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(
                    rows.stream().map(r -> Map.of("prodId", r.prodId(), "serial", r.serial() == null ? "" : r.serial(),
                            "name", r.name(), "deviceId", r.deviceId(), "deviceKey", r.deviceKey())).toList()));
        } else {
            out.println("prodId,serial,name,deviceId,deviceKey,chipName");
            for (Exported r : rows) {
                out.println(String.join(",", csv(r.prodId()), csv(r.serial()), csv(r.name()), csv(r.deviceId()),
                        csv(r.deviceKey()), csv(r.chipName())));
            }
        }
        out.flush();
        return rows.size();
    }

    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
