package io.bulkreg.registration;

/** {@code registration_skip.resolution}: what an operator (or the test-device setting, or
 * {@code reconcile}) decided for a device in doubt. */
public enum Resolution {
    /** Sent again: back to PENDING. The platform may then hold the device twice. */
    RESENT,
    /** Given up: REJECTED, never sent again. */
    REJECTED,
    /** Settled by {@code reconcile}: its key was found in the kept answer of its request and stored. */
    RECONCILED
}
