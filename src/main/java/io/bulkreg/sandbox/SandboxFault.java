package io.bulkreg.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour a test arms with {@link McsSandbox#arm(SandboxFault, int)}; each armed fault is spent by one POST.
 * Faults that answer an error ({@link Status}, {@link ErrorCode}) register nothing. The others register the devices
 * as usual (after validation; a request that fails validation is answered with its error and spends the fault) and
 * then spoil the answer, which is what makes a client's outcome "in doubt".
 */
public sealed interface SandboxFault {

    /**
     * Answer {@code status} without registering. 429 and 503 carry Retry-After when {@code retryAfterSeconds} is
     * given. 401 answers the later error shape with code 4001, 403 the documented shape with code 1002, anything
     * else an error body with code {@code 9000 + status} (see {@link SandboxErrorCode#forInjectedStatus(int)}).
     */
    record Status(int status, Integer retryAfterSeconds) implements SandboxFault {
        public Status {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            if (retryAfterSeconds != null && retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must not be negative");
            }
        }

        public static Status of(int status) {
            return new Status(status, null);
        }
    }

    /** Answer {@code status} with the documented error shape carrying {@code code}, without registering. */
    record ErrorCode(int status, int code, String description) implements SandboxFault {
        public ErrorCode {
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Register the first half of the request's devices, then refuse the request as a whole with {@code status} and
     * {@code code}: a platform that applies part of a request before refusing it, against which splitting is unsafe.
     */
    record PartlyApplied(int status, int code, String description) implements SandboxFault {
        public PartlyApplied {
            Objects.requireNonNull(description, "description");
        }
    }

    /** Register, then close the connection without any HTTP response. */
    record DropAfterRegister() implements SandboxFault {
    }

    /** Register, then answer 200 with a body that is not JSON. */
    record MalformedAnswer() implements SandboxFault {
    }

    /** Register, then answer 200 with one credential fewer than devices (the last device's is left out). */
    record ShortAnswer() implements SandboxFault {
    }

    /** Register, then answer 200 with every credential, the one at {@code position} (0-based) without its deviceId. */
    record EntryWithoutDeviceId(int position) implements SandboxFault {
        public EntryWithoutDeviceId {
            if (position < 0) {
                throw new IllegalArgumentException("position must not be negative");
            }
        }
    }

    /**
     * Register, then answer 200 with every credential, the one at {@code position} (0-based, not the first) with its own
     * deviceId but the key of the one before it: one key answered for two devices.
     */
    record RepeatedKey(int position) implements SandboxFault {
        public RepeatedKey {
            if (position < 1) {
                throw new IllegalArgumentException("position must be 1 or more: the entry before it lends its key");
            }
        }
    }

    /** Register, issuing deviceKeys of {@code length} characters (the contract sets no length), and answer 200. */
    record LongKeys(int length) implements SandboxFault {
        public LongKeys {
            if (length < 1) {
                throw new IllegalArgumentException("length must be 1 or more");
            }
        }
    }

    /**
     * Register, then answer 200 with as many credentials as devices, the one at {@code position} (0-based, not the
     * first) a copy of the one before it: one device's credential twice, another's missing.
     */
    record RepeatedCredential(int position) implements SandboxFault {
        public RepeatedCredential {
            if (position < 1) {
                throw new IllegalArgumentException("position must be 1 or more: the entry before it is repeated");
            }
        }
    }

    /**
     * Register, then answer 200 with every credential, but close the connection halfway through the body (its
     * Content-Length promised more): the client holds the first half of the answer, with some issued keys in it.
     */
    record CutAnswer(int status) implements SandboxFault {
        /** Cut short with the documented status, 200. */
        public CutAnswer() {
            this(200);
        }
    }

    /**
     * Register, then answer 200 with every credential followed by {@code paddingBytes} bytes of another field: an
     * answer far larger than any the contract describes.
     */
    record OversizedAnswer(int paddingBytes) implements SandboxFault {
    }

    /**
     * Register, then answer 200 with every credential followed by a field that never ends: the sandbox writes until the
     * client hangs up.
     */
    record EndlessAnswer() implements SandboxFault {
    }

    /** Register, then answer 201 (not the documented 200) with every credential. */
    record Created() implements SandboxFault {
    }

    /** Register, then wait {@code delay} before answering normally (to run into client read timeouts). */
    record Hang(Duration delay) implements SandboxFault {
        public Hang {
            Objects.requireNonNull(delay, "delay");
        }
    }
}
