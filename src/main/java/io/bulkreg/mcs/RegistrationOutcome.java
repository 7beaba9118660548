package io.bulkreg.mcs;

import java.time.Duration;
import java.util.List;

/**
 * What one registerDevice attempt amounts to. The client classifies the HTTP exchange; what the job does
 * about each class (retry, split, hold in doubt, fail) is decided in one place, the job's fault policy.
 */
public sealed interface RegistrationOutcome {

    /** 200 with exactly one credential per device, in request order. */
    record Registered(List<Credential> credentials) implements RegistrationOutcome {
    }

    /** 401, 403 or code 1002: the token or its rights are wrong; no device was taken. */
    record Unauthorized(McsError error) implements RegistrationOutcome {
    }

    /**
     * The platform did not take the request (429, 503, connection refused, unknown host, TLS handshake):
     * safe to send again. {@code retryAfter} is the server's Retry-After, or null.
     */
    record NotTaken(String reason, McsError error, Duration retryAfter) implements RegistrationOutcome {
    }

    /**
     * The platform may have registered the devices (read timeout, reset after sending, 500/502/504, an
     * unreadable 200, a credential count that differs from the request's). Never resent automatically.
     * {@code answer} is the platform's answer when it was a 2xx that could not be used whole (it may carry issued
     * keys, so the job keeps it for {@code reconcile}); null otherwise.
     */
    record InDoubt(String reason, Integer httpStatus, RawAnswer answer) implements RegistrationOutcome {

        /** In doubt without an answer worth keeping (no answer, or an error answer). */
        public InDoubt(String reason, Integer httpStatus) {
            this(reason, httpStatus, null);
        }
    }

    /** Any other 4xx: the content was refused; the answer does not say which device of the request. */
    record Rejected(McsError error) implements RegistrationOutcome {
    }
}
