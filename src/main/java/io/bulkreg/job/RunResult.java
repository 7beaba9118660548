package io.bulkreg.job;

import io.bulkreg.registration.RunAbortedException;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** One run as the CLI reports it: the execution, and the abandoned executions it recovered first. */
public record RunResult(JobExecution execution, List<String> recovered) {

    /** The inbox files this run did not take yet (still arriving, or changed while imported), and why. */
    public List<String> waitingFiles() {
        return execution.getStepExecutions().stream()
                .map(s -> s.getExecutionContext().getString(RegistrationJobConfig.WAITING_FILES, ""))
                .flatMap(w -> w.lines()).filter(w -> !w.isBlank()).toList();
    }

    public boolean completed() {
        return execution.getStatus() == BatchStatus.COMPLETED;
    }

    /** A failure that is not one of the fault policy's decisions: a bug or an environment problem. */
    public Optional<Throwable> unexpectedFailure() {
        return execution.getAllFailureExceptions().stream()
                .filter(t -> !(rootOf(t) instanceof RunAbortedException))
                .findFirst();
    }

    private static Throwable rootOf(Throwable t) {
        while (t.getCause() != null && t.getCause() != t && !(t instanceof RunAbortedException)) {
            t = t.getCause();
        }
        return t;
    }

    /** The operator-facing reason of a failed run: the first failure's message, never a stack trace. */
    public String failure() {
        List<Throwable> failures = execution.getAllFailureExceptions();
        if (failures.isEmpty()) {
            return execution.getExitStatus().getExitDescription();
        }
        return rootOf(failures.get(0)).getMessage();
    }
}
