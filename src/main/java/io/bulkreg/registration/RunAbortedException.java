package io.bulkreg.registration;

/**
 * Stops the registration step (token refused, platform unreachable, too many answers in doubt). The message
 * tells the operator what happened and what to do; it never carries the token or a deviceKey.
 */
public class RunAbortedException extends RuntimeException {

    public RunAbortedException(String message) {
        super(message);
    }
}
