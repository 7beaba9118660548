package io.bulkreg.device;

/** {@code device_registration.status}: part of the query contract, keep the names stable. */
public enum DeviceStatus {
    /** Waiting to be sent. Upstream systems insert rows in this status. */
    PENDING,
    /** Written ahead of a request that may be on the wire: never left behind by a run that ended cleanly. */
    IN_FLIGHT,
    /** The platform's credentials are stored. */
    REGISTERED,
    /** Refused (invalid, or refused by the platform); the reason is in registration_skip. */
    REJECTED,
    /** The platform may hold the device, but no credential came back. Never resent automatically. */
    IN_DOUBT
}
