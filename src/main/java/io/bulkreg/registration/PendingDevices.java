package io.bulkreg.registration;

import io.bulkreg.device.DeviceStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The devices waiting to be sent: PENDING rows, of one lot or all, lot by lot in id order. The one definition of that
 * query, for the claims of the registration step and for the rehearsal.
 */
public record PendingDevices(String whereClause, Map<String, Object> parameters) {

    public static final String FROM = "FROM device_registration";
    /**
     * Spelled as the columns of the index (status, lot_id, id), status and lot included although the WHERE fixes them:
     * H2 then reads the next rows in index order ("index sorted", 50 rows read) instead of every pending row and a sort
     * (20,001 rows read and 17 ms a claim at 20,000 pending devices). PostgreSQL drops the columns the WHERE fixes and
     * reads its partial indexes on PENDING rows in order.
     */
    public static final String ORDER_BY = "status, lot_id, id";

    /** @param lot a lot id, or null (or blank) for every lot */
    public static PendingDevices of(String lot) {
        Map<String, Object> parameters = new HashMap<>();
        // A literal, not a parameter: PostgreSQL can use the partial indexes on PENDING rows only when the query
        // itself says status = 'PENDING' (a prepared statement's generic plan cannot prove it from a parameter).
        String where = "status = '" + DeviceStatus.PENDING.name() + "'";
        if (lot != null && !lot.isBlank()) {
            where += " AND lot_id = :lot";
            parameters.put("lot", lot);
        }
        return new PendingDevices(where, Map.copyOf(parameters));
    }

    /** The whole statement, for a reader that does not page. */
    public String select(String columns) {
        return "SELECT " + columns + " " + FROM + " WHERE " + whereClause + " ORDER BY " + ORDER_BY;
    }

    /** The first {@code :max} of them, not locked. */
    public String next(String columns) {
        return select(columns) + " LIMIT :max";
    }

    /**
     * The next {@code :max} of them that no other transaction is claiming, locked by this one until it commits: rows
     * another claimer holds are skipped, not waited for, so that any number of workers (partitions of one process,
     * processes on one database) take turns without static shares. PostgreSQL serves it from the partial indexes on
     * PENDING rows (V13). Not for H2: it applies the LIMIT before it skips locked rows, so a claim behind another
     * worker's rows finds nothing (seen in WorkersOnOneDatabaseOnH2Test).
     */
    public String nextUnclaimed(String columns) {
        return next(columns) + " FOR UPDATE SKIP LOCKED";
    }
}
