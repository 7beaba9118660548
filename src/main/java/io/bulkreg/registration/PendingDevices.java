package io.bulkreg.registration;

import io.bulkreg.device.DeviceStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The devices waiting to be sent: PENDING rows, of one lot or all, in id order. The one definition of that query,
 * for the registration step's reader and for the rehearsal.
 */
public record PendingDevices(String whereClause, Map<String, Object> parameters) {

    public static final String FROM = "FROM device_registration";
    public static final String ORDER_BY = "id";

    /** @param lot a lot id, or null (or blank) for every lot */
    public static PendingDevices of(String lot) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("pending", DeviceStatus.PENDING.name());
        String where = "status = :pending";
        if (lot != null && !lot.isBlank()) {
            where += " AND lot_id = :lot";
            parameters.put("lot", lot);
        }
        return new PendingDevices(where, Map.copyOf(parameters));
    }

    /** The share {@code index} of {@code count}: the devices whose {@code MOD(id, count)} is {@code index}. */
    public PendingDevices share(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("share " + index + " of " + count);
        }
        Map<String, Object> p = new HashMap<>(parameters);
        p.put("shareIndex", index);
        p.put("shareCount", count);
        return new PendingDevices(whereClause + " AND MOD(id, :shareCount) = :shareIndex", Map.copyOf(p));
    }

    /** The whole statement, for a reader that does not page. */
    public String select(String columns) {
        return "SELECT " + columns + " " + FROM + " WHERE " + whereClause + " ORDER BY " + ORDER_BY;
    }
}
