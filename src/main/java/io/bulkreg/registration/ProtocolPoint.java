package io.bulkreg.registration;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Named points on a request's way where the crash test halts the job, to prove where its kills land. Off unless the
 * system property {@value #PROPERTY} is set (by tests only, as {@code POINT:N}): then every hit of every point is
 * printed with its count, and the Nth hit of POINT halts the JVM at once (exit 137, no shutdown hooks), as SIGKILL
 * would. Otherwise {@link #reached} reads one static final field and returns.
 */
public enum ProtocolPoint {
    /** The platform's answer has been read; nothing of it is decided or stored yet. */
    ANSWER_READ,
    /** The credentials are written in the store's transaction, which has not committed. */
    BEFORE_STORE_COMMIT,
    /** The database refused the credentials for the last time; the rescue file is not written yet. */
    BEFORE_RESCUE_WRITE,
    /** A request claimed ahead (committed with the last answer's keys) finds every place taken: claimed, not sent. */
    CLAIMED_AHEAD_WAITING;

    public static final String PROPERTY = "bulkreg.test.halt-at";
    /** The exit code of a process halted here: that of a process killed by SIGKILL. */
    public static final int HALTED = 128 + 9;

    private static final Halt HALT = Halt.of(System.getProperty(PROPERTY));

    public void reached() {
        if (HALT != null) {
            HALT.hit(this);
        }
    }

    private record Halt(ProtocolPoint at, int nth, AtomicIntegerArray hits) {
        static Halt of(String spec) {
            if (spec == null || spec.isBlank()) {
                return null;
            }
            String[] parts = spec.split(":");
            return new Halt(valueOf(parts[0]), Integer.parseInt(parts[1]), new AtomicIntegerArray(values().length));
        }

        void hit(ProtocolPoint point) {
            int n = hits.incrementAndGet(point.ordinal());
            boolean halt = point == at && n == nth;
            // One line per hit; the halting one says so, as another thread may print its own hit before the halt.
            System.out.println("protocol point " + point + " hit " + n + (halt ? ": halting" : ""));
            if (halt) {
                System.out.flush();
                Runtime.getRuntime().halt(HALTED);
            }
        }
    }
}
