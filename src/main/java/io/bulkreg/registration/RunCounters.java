package io.bulkreg.registration;

import java.util.concurrent.atomic.AtomicInteger;

/** What one run did, for its summary (the tables hold the full record). */
public class RunCounters {

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger inDoubt = new AtomicInteger();
    private final AtomicInteger recoveredInDoubt = new AtomicInteger();

    void requestSent() {
        requests.incrementAndGet();
    }

    void registered(int n) {
        registered.addAndGet(n);
    }

    void rejected(int n) {
        rejected.addAndGet(n);
    }

    void inDoubt(int n) {
        inDoubt.addAndGet(n);
    }

    /** Devices an abandoned run left in flight, flagged in doubt by this run's recovery. */
    public void recoveredInDoubt(int n) {
        recoveredInDoubt.addAndGet(n);
    }

    public int recoveredInDoubt() {
        return recoveredInDoubt.get();
    }

    public int requests() {
        return requests.get();
    }

    public int registered() {
        return registered.get();
    }

    public int rejected() {
        return rejected.get();
    }

    public int inDoubt() {
        return inDoubt.get();
    }
}
