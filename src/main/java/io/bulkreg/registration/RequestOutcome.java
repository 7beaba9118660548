package io.bulkreg.registration;

/** {@code registration_request.outcome}: what became of one request written ahead. */
public enum RequestOutcome {
    REGISTERED,
    /** Refused for its content; split or skipped. */
    REJECTED,
    /** Not taken (throttled, unreachable, unauthorized): its devices went back to PENDING. */
    NOT_TAKEN,
    IN_DOUBT
}
