package io.bulkreg.registration;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reason the first dispatcher of a job execution stopped the run, shared by all its dispatchers (one per
 * partition): once one stops (breaker, wrong token, a refused store, a lost lease), the others stop before their
 * next request instead of running into the same wall. Thread-safe; the first reason wins.
 */
public final class RunStop {

    private final AtomicReference<String> reason = new AtomicReference<>();

    public void stopWith(String why) {
        reason.compareAndSet(null, why);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }
}
