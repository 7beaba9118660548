package io.bulkreg.mcs;

/**
 * What came back over HTTP, read completely before classification. {@code body} is null when it could not be read;
 * {@code bodyFailure} then says why (never the body itself, which may hold keys), and {@code partialBody} holds what
 * arrived before the failure (it may carry issued keys: kept like any answer not fully used).
 */
record McsAnswer(int status, String retryAfter, byte[] body, String bodyFailure, byte[] partialBody) {

    McsAnswer(int status, String retryAfter, byte[] body, String bodyFailure) {
        this(status, retryAfter, body, bodyFailure, null);
    }
}
