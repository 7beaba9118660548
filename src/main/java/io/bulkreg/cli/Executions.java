package io.bulkreg.cli;

import java.util.Set;

/** Spring Batch statuses of an execution whose process is (or claims to be) at work. */
final class Executions {

    static final Set<String> RUNNING = Set.of("STARTING", "STARTED", "STOPPING");

    private Executions() {
    }
}
