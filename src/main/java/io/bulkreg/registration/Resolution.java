package io.bulkreg.registration;

/** {@code registration_skip.resolution}: what an operator (or the test-device setting) decided for a device in doubt. */
public enum Resolution {
    /** Sent again: back to PENDING. The platform may then hold the device twice. */
    RESENT,
    /** Given up: REJECTED, never sent again. */
    REJECTED
}
