package io.bulkreg.job;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The process's exit code, also when a SIGTERM started the JVM's shutdown: the JVM would then end with 143 whatever
 * the code the command decided. GracefulStop's shutdown hook waits for the code the run ends with and halts with it,
 * so that a stop on request exits {@code STOPPED} however it was asked for.
 */
public final class ProcessExit {

    private static final CompletableFuture<Integer> CODE = new CompletableFuture<>();
    /** The code the command decided, before Spring closes its context (which may push metrics, and take its time). */
    private static final CompletableFuture<Integer> DECIDED = new CompletableFuture<>();

    private ProcessExit() {
    }

    /** Ends the process with this code (the last thing main does). */
    public static void exit(int status) {
        CODE.complete(status);
        // During a shutdown this blocks; the shutdown hook halts with the code completed above.
        System.exit(status);
    }

    /** The command has decided the process's code; main exits with it once the context is closed. */
    public static void decided(int status) {
        DECIDED.complete(status);
    }

    /** The code the command decided, if it has. */
    static Integer decidedCode() {
        return DECIDED.getNow(null);
    }

    /** The code main ends with, if it gets there within {@code wait}. */
    static Integer awaitCode(Duration wait) {
        try {
            return CODE.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}
