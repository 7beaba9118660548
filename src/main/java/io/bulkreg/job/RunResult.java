package io.bulkreg.job;

import io.bulkreg.registration.RunAbortedException;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;

/** One run as the CLI reports it: the execution, and the abandoned executions it recovered first. */
public record RunResult(JobExecution execution, List<String> recovered) {

    /** The inbox files this run did not take yet (still arriving, or changed while imported), and why. */
    public List<String> waitingFiles() {
        return linesOf(RegistrationJobConfig.WAITING_FILES);
    }

    /** The lot files this run refused whole (not lot files: nothing of them imported), and why. */
    public List<String> refusedFiles() {
        return linesOf(RegistrationJobConfig.REFUSED_FILES);
    }

    /** The lot files this run could not read (no read permission, an I/O error), and why: a person must look. */
    public List<String> unreadableFiles() {
        return linesOf(RegistrationJobConfig.UNREADABLE_FILES);
    }

    /**
     * The keys this run stored from rescue files: issued to an earlier run's requests, which the database then refused.
     * The tables count those devices under that run's requests.
     */
    public long storedFromRescue() {
        return execution.getStepExecutions().stream()
                .mapToLong(s -> s.getExecutionContext().getLong(RegistrationJobConfig.STORED_FROM_RESCUE, 0L)).sum();
    }

    private List<String> linesOf(String key) {
        return execution.getStepExecutions().stream()
                .map(s -> s.getExecutionContext().getString(key, ""))
                .flatMap(w -> w.lines()).filter(w -> !w.isBlank()).toList();
    }

    public boolean completed() {
        return execution.getStatus() == BatchStatus.COMPLETED;
    }

    /** A failure that is not one of the fault policy's decisions: a bug or an environment problem. */
    public Optional<Throwable> unexpectedFailure() {
        return failures().stream()
                .filter(t -> !(rootOf(t) instanceof RunAbortedException))
                .findFirst();
    }

    /**
     * What failed, the partitions' own failures first; the partitioned step's summary of them ("Partition handler
     * returned an unsuccessful step") only when no partition says more.
     */
    private List<Throwable> failures() {
        List<Throwable> all = execution.getAllFailureExceptions();
        List<Throwable> specific = all.stream().filter(t -> !isPartitionSummary(t)).toList();
        return specific.isEmpty() ? all : specific;
    }

    private static boolean isPartitionSummary(Throwable t) {
        return t instanceof JobExecutionException && t.getCause() == null;
    }

    private static Throwable rootOf(Throwable t) {
        while (t.getCause() != null && t.getCause() != t && !(t instanceof RunAbortedException)) {
            t = t.getCause();
        }
        return t;
    }

    /** The operator-facing reason of a failed run: the first failure's message, never a stack trace. */
    public String failure() {
        List<Throwable> failures = failures();
        if (failures.isEmpty()) {
            return execution.getExitStatus().getExitDescription();
        }
        return rootOf(failures.get(0)).getMessage();
    }
}
