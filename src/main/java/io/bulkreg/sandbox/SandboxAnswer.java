package io.bulkreg.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What the handler sends back for one request. */
sealed interface SandboxAnswer {

    /** An HTTP answer, written after {@code delay}; Retry-After header when {@code retryAfterSeconds} is set. */
    record Respond(int status, byte[] body, Integer retryAfterSeconds, Duration delay) implements SandboxAnswer {

        static Respond json(int status, String body) {
            return new Respond(status, body.getBytes(StandardCharsets.UTF_8), null, Duration.ZERO);
        }

        Respond withRetryAfter(Integer seconds) {
            return new Respond(status, body, seconds, delay);
        }

        Respond delayedBy(Duration extra) {
            return new Respond(status, body, retryAfterSeconds, delay.plus(extra));
        }
    }

    /** Send the status and the headers of {@code body} whole, then only its first half, and close the connection. */
    record CutShort(int status, byte[] body) implements SandboxAnswer {
    }

    /**
     * Send the status, chunked, then {@code start} and after it filler without end, until the client hangs up: an
     * answer that never finishes.
     */
    record Endless(int status, byte[] start) implements SandboxAnswer {
    }

    /** Close the connection without any HTTP response. */
    record Drop() implements SandboxAnswer {
    }
}
