package io.bulkreg.registration;

import io.bulkreg.device.DeviceKeyVault;
import io.bulkreg.mcs.RawAnswer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code kept_answer} table: answers whose devices went IN_DOUBT although they may carry issued keys. Sealed with
 * the request id as associated data (an answer belongs to its request, as a deviceKey to its row).
 */
@Repository
public class KeptAnswers {

    private final JdbcClient jdbc;
    private final DeviceKeyVault vault;

    public KeptAnswers(JdbcClient jdbc, DeviceKeyVault vault) {
        this.jdbc = jdbc;
        this.vault = vault;
    }

    /** The answer sealed for {@code request}, stamped now. */
    public KeptAnswer seal(RequestId request, RawAnswer answer) {
        DeviceKeyVault.Sealed sealed = vault.sealAnswer(answer.body(), request.value());
        return new KeptAnswer(request.value(), System.currentTimeMillis(), answer.httpStatus(), sealed.value(),
                sealed.keyId());
    }

    /**
     * The answer as received (base64, not encrypted), for a rescue file when sealing failed: the file is owner-only,
     * and the next run seals it before it reaches the database ({@link #resealed}).
     */
    public static KeptAnswer asReceived(RequestId request, RawAnswer answer) {
        return new KeptAnswer(request.value(), System.currentTimeMillis(), answer.httpStatus(),
                Base64.getEncoder().encodeToString(answer.body()), null);
    }

    /** Sealed under the configured key if it was kept as received and a key is configured now. */
    KeptAnswer resealed(KeptAnswer answer) {
        if (answer.keyId() != null) {
            return answer;
        }
        DeviceKeyVault.Sealed sealed = vault.sealAnswer(open(answer), answer.requestId());
        return new KeptAnswer(answer.requestId(), answer.receivedAtMillis(), answer.httpStatus(), sealed.value(),
                sealed.keyId());
    }

    /** Inserts the answer, in the caller's transaction; an answer of that request already kept stays as it is. */
    void insert(KeptAnswer answer) {
        int present = jdbc.sql("SELECT COUNT(*) FROM kept_answer WHERE request_id = :requestId")
                .param("requestId", answer.requestId()).query(Integer.class).single();
        if (present > 0) {
            return;
        }
        jdbc.sql("INSERT INTO kept_answer (request_id, received_at, http_status, body_sealed, key_id) "
                + "VALUES (:requestId, :receivedAt, :status, :body, :keyId)")
                .param("requestId", answer.requestId())
                .param("receivedAt", Timestamp.from(answer.receivedAt()))
                .param("status", answer.httpStatus())
                .param("body", answer.bodySealed())
                .param("keyId", answer.keyId())
                .update();
    }

    /** Answers not settled yet, oldest first. */
    public List<KeptAnswer> unsettled() {
        return jdbc.sql("SELECT request_id, received_at, http_status, body_sealed, key_id FROM kept_answer "
                + "WHERE settled_at IS NULL ORDER BY received_at, request_id")
                .query((rs, n) -> new KeptAnswer(rs.getString(1), rs.getTimestamp(2).getTime(), rs.getInt(3),
                        rs.getString(4), rs.getString(5)))
                .list();
    }

    /** Unsettled answers of requests whose devices of this lot are still IN_DOUBT: keys `reconcile` may yet store. */
    public long unsettledForLot(String lot) {
        return jdbc.sql("SELECT COUNT(DISTINCT k.request_id) FROM kept_answer k JOIN device_registration d "
                + "ON d.request_id = k.request_id WHERE k.settled_at IS NULL AND d.status = 'IN_DOUBT' AND d.lot_id = :lot")
                .param("lot", lot).query(Long.class).single();
    }

    /** @throws IllegalStateException when it was sealed under a key that is not configured, or altered */
    public byte[] open(KeptAnswer answer) {
        return vault.openAnswer(answer.bodySealed(), answer.keyId(), answer.requestId());
    }

    /** Nothing more can be matched from this answer: {@code reconcile} passes it by from now on; the body stays. */
    void settle(String requestId, String detail) {
        jdbc.sql("UPDATE kept_answer SET settled_at = :now, settled_detail = :detail WHERE request_id = :requestId "
                + "AND settled_at IS NULL")
                .param("now", Timestamp.from(Instant.now()))
                .param("detail", detail)
                .param("requestId", requestId)
                .update();
    }
}
