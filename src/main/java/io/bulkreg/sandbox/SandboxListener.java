package io.bulkreg.sandbox;

/**
 * Lets crash tests act at precise moments of a POST. Called on the server's handler threads; may block (a test
 * can hold a request while it kills the job), which holds only that request.
 */
public interface SandboxListener {

    /** The body was read and parsed (deviceCount 0 if it could not be); nothing is registered yet. */
    default void received(int requestNo, int deviceCount) {
    }

    /** The answer was written; {@code status} is {@link ReceivedRequest#DROPPED} when the connection was dropped. */
    default void answered(int requestNo, int status) {
    }
}
