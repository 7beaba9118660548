package io.bulkreg.registration;

import java.time.Instant;

/**
 * An answer kept for {@code reconcile}, as stored in {@code kept_answer}: the body sealed under {@code keyId} (null:
 * the body's bytes as received, base64). {@link #toString()} leaves the body out.
 */
public record KeptAnswer(String requestId, long receivedAtMillis, int httpStatus, String bodySealed, String keyId) {

    public Instant receivedAt() {
        return Instant.ofEpochMilli(receivedAtMillis);
    }

    @Override
    public String toString() {
        return "KeptAnswer[requestId=" + requestId + ", httpStatus=" + httpStatus + ", body=***, keyId=" + keyId + "]";
    }
}
