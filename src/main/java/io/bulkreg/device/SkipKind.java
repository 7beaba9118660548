package io.bulkreg.device;

/** {@code registration_skip.kind}: part of the query contract, keep the names stable. */
public enum SkipKind {
    /** An input line that could not be read (encoding, column count, duplicate serial, a file refused). */
    INPUT,
    /** A device whose fields break the platform's rules; it cost no request. */
    VALIDATION,
    /** A device the platform refused; http_status, error_code, error_url and error_description say why. */
    API,
    /** A device the platform may hold without the job holding its credential. */
    IN_DOUBT,
    /**
     * A device that was in doubt, resent by an operator, and refused alone as already registered: the platform holds it
     * (the earlier request did register it), its key is not here. Its status is REJECTED; it is never sent again.
     */
    HELD_BY_PLATFORM
}
