package io.bulkreg.mcs;

/**
 * What came back over HTTP, read completely before classification. {@code body} is null when it could not be read;
 * {@code bodyFailure} then says why (never the body itself, which may hold keys).
 */
record McsAnswer(int status, String retryAfter, byte[] body, String bodyFailure) {
}
