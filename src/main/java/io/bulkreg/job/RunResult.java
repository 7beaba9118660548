package io.bulkreg.job;

import io.bulkreg.registration.RunCounters;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** One run as the CLI reports it: the execution, what this process did, what it recovered first. */
public record RunResult(JobExecution execution, RunCounters counters, List<String> recovered) {

    public boolean completed() {
        return execution.getStatus() == BatchStatus.COMPLETED;
    }

    /** The operator-facing reason of a failed run: the first failure's message, never a stack trace. */
    public String failure() {
        List<Throwable> failures = execution.getAllFailureExceptions();
        if (failures.isEmpty()) {
            return execution.getExitStatus().getExitDescription();
        }
        Throwable t = failures.get(0);
        while (t.getCause() != null && t.getCause() != t && !(t instanceof io.bulkreg.registration.RunAbortedException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
