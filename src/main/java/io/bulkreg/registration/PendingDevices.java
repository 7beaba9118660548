package io.bulkreg.registration;

import io.bulkreg.device.DeviceStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The devices waiting to be sent: PENDING rows, of one lot or all, in id order. The one definition of that query,
 * for the claims of the registration step and for the rehearsal.
 */
public record PendingDevices(String whereClause, Map<String, Object> parameters) {

    public static final String FROM = "FROM device_registration";
    /**
     * In id order, said so that H2 reads it from an index: its (status, id) and (status, lot_id, id) indexes give the
     * rows in that order only when the ORDER BY names their leading columns too (the equality on status does not
     * suffice for H2, which otherwise sorted every PENDING row for each claim: a million pending devices made each
     * claim read a million index entries). status and lot_id are fixed by the WHERE clause, so the order is the ids'.
     * PostgreSQL drops the columns the WHERE clause fixes and reads its partial index on PENDING ids in order.
     */
    private static final String ORDER_BY_ALL = "status, id";
    private static final String ORDER_BY_LOT = "status, lot_id, id";

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
        return "SELECT " + columns + " " + FROM + " WHERE " + whereClause + " ORDER BY "
                + (parameters.containsKey("lot") ? ORDER_BY_LOT : ORDER_BY_ALL);
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
