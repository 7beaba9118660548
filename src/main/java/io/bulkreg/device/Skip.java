package io.bulkreg.device;


/** One registration_skip row to write. */
public record Skip(SkipKind kind, String lotId, String source, Long registrationId, String requestId,
        Integer httpStatus, Integer errorCode, String errorUrl, String errorDescription) {

    public static Skip input(String lotId, String source, String description) {
        return new Skip(SkipKind.INPUT, lotId, source, null, null, null, null, null, description);
    }

    public static Skip validation(String lotId, String source, Long registrationId, String description) {
        return new Skip(SkipKind.VALIDATION, lotId, source, registrationId, null, null, null, null, description);
    }

    /** The platform refused the device: its HTTP status, error code, error URL and description. */
    public static Skip api(String lotId, String source, long registrationId, String requestId, int httpStatus,
            Integer errorCode, String errorUrl, String errorDescription) {
        return new Skip(SkipKind.API, lotId, source, registrationId, requestId, httpStatus, errorCode, errorUrl,
                errorDescription);
    }

    /** A device resent after doubt that the platform refused as already registered: the platform's error. */
    public static Skip heldByPlatform(String lotId, String source, long registrationId, String requestId, int httpStatus,
            Integer errorCode, String errorUrl, String errorDescription) {
        return new Skip(SkipKind.HELD_BY_PLATFORM, lotId, source, registrationId, requestId, httpStatus, errorCode,
                errorUrl, errorDescription);
    }

    public static Skip inDoubt(String lotId, String source, long registrationId, String requestId, Integer httpStatus,
            String description) {
        return new Skip(SkipKind.IN_DOUBT, lotId, source, registrationId, requestId, httpStatus, null, null, description);
    }
}
