package io.bulkreg.sandbox;

/**
 * One POST the sandbox received. {@code deviceCount} is 0 when the body could not be parsed. {@code httpStatus}
 * is the status answered, {@link #DROPPED} when the connection was closed without an answer, {@link #PENDING}
 * while the request is still being handled.
 */
public record ReceivedRequest(int requestNo, int deviceCount, int httpStatus) {

    public static final int DROPPED = -1;
    public static final int PENDING = 0;
}
