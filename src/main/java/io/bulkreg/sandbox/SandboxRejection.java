package io.bulkreg.sandbox;

/** Refuses a whole request with one error code; control flow inside the sandbox only. */
final class SandboxRejection extends Exception {

    private final transient SandboxErrorCode errorCode;

    SandboxRejection(SandboxErrorCode errorCode) {
        super(errorCode.description(), null, false, false);
        this.errorCode = errorCode;
    }

    SandboxErrorCode errorCode() {
        return errorCode;
    }
}
