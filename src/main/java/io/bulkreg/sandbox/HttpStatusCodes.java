package io.bulkreg.sandbox;

/** The HTTP statuses the sandbox answers itself (the JDK has no constant for 429). */
final class HttpStatusCodes {

    static final int OK = 200;
    static final int CREATED = 201;
    static final int BAD_REQUEST = 400;
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int PAYLOAD_TOO_LARGE = 413;
    static final int TOO_MANY_REQUESTS = 429;
    static final int INTERNAL_SERVER_ERROR = 500;
    static final int SERVICE_UNAVAILABLE = 503;

    private HttpStatusCodes() {
    }
}
