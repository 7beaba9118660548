package io.bulkreg.sandbox;

/**
 * The sandbox's error codes. Only 1002 is a documented MCS code; the others are the sandbox's own, distinct so a
 * test can tell why a request was refused. Every validation error refuses the whole request.
 */
public enum SandboxErrorCode {

    /** Documented MCS code, answered by an injected 403. */
    NO_ACCESS_RIGHT(1002, HttpStatusCodes.FORBIDDEN, "You do not have access right to this API"),
    /** Missing or wrong bearer token; answered in the later {@code {"errors":[...]}} shape. */
    TOKEN_INCORRECT(4001, HttpStatusCodes.UNAUTHORIZED, "token is incorrect"),
    MALFORMED_JSON(4000, HttpStatusCodes.BAD_REQUEST, "request body is not a JSON object"),
    MISSING_FIELD(4010, HttpStatusCodes.BAD_REQUEST, "prodId, name and isTest are required strings/boolean"),
    IS_TEST_NOT_BOOLEAN(4011, HttpStatusCodes.BAD_REQUEST, "isTest must be a boolean"),
    INVALID_SERIAL(4012, HttpStatusCodes.BAD_REQUEST, "serial must be 1 to 49 letters and digits"),
    SERIAL_REQUIRED(4013, HttpStatusCodes.BAD_REQUEST, "the product requires a serial for non-test devices"),
    SERIAL_ALREADY_REGISTERED(4014, HttpStatusCodes.BAD_REQUEST, "serial already registered for the product"),
    DUPLICATE_SERIAL_IN_REQUEST(4015, HttpStatusCodes.BAD_REQUEST, "serial appears twice in the request"),
    /** More devices than {@link SandboxSettings#maxDevicesPerRequest()}: 413, not 400, so it cannot pass for bad content. */
    TOO_MANY_DEVICES(4016, HttpStatusCodes.PAYLOAD_TOO_LARGE, "too many devices in one request"),
    NO_DEVICES(4017, HttpStatusCodes.BAD_REQUEST, "devices must be a non-empty array"),
    INVALID_OPTIONAL_FIELD(4018, HttpStatusCodes.BAD_REQUEST, "description, serial and deviceImageURL must be strings"),
    /** A device name contains {@link SandboxSettings#rejectNamesContaining()}. */
    DEVICE_REJECTED(4022, HttpStatusCodes.BAD_REQUEST, "device rejected"),
    DEVICE_NOT_FOUND(4040, HttpStatusCodes.NOT_FOUND, "no such device"),
    METHOD_NOT_ALLOWED(4050, HttpStatusCodes.METHOD_NOT_ALLOWED, "method not allowed"),
    INTERNAL_ERROR(5000, HttpStatusCodes.INTERNAL_SERVER_ERROR, "sandbox internal error");

    /** Injected statuses other than 401/403 answer code {@code INJECTED_BASE + status}, e.g. 9503. */
    public static final int INJECTED_BASE = 9000;

    private final int code;
    private final int httpStatus;
    private final String description;

    SandboxErrorCode(int code, int httpStatus, String description) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String description() {
        return description;
    }

    public static int forInjectedStatus(int status) {
        return INJECTED_BASE + status;
    }
}
