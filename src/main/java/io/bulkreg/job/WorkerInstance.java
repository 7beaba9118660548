package io.bulkreg.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This process as a holder of leases: a random id drawn at start-up, which the lease row stores and every claim and
 * store checks in SQL (a run whose lease was taken over claims nothing more), and where its pid can be looked up.
 * Host name and pid alone do not name a process: two containers can share a host name and each have a pid 7.
 */
@Component
public class WorkerInstance {

    private final String id = UUID.randomUUID().toString();
    private final String pidNamespace = readPidNamespace().orElse(null);

    /** The random id of this process, stored in job_lease.instance_id. */
    public String id() {
        return id;
    }

    /**
     * The boot and pid namespace this process's pid belongs to (Linux: boot_id and /proc/self/ns/pid), or null where
     * it cannot be read. Another process may judge a pid of the lease dead only when it sees the same namespace.
     */
    public String pidNamespace() {
        return pidNamespace;
    }

    private static Optional<String> readPidNamespace() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
            String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return Optional.of(boot + "/" + namespace);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();   // not Linux, or /proc hidden: only the heartbeat tells a dead holder
        }
    }
}
