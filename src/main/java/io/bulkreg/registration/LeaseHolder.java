package io.bulkreg.registration;

/**
 * A job execution as the holder of its lease: its id and the random instance id of the process running it
 * (job_lease.instance_id). Claims and stores check in SQL that the lease row is still this one's: a run another run
 * judged dead and recovered claims nothing more.
 */
public record LeaseHolder(long jobExecutionId, String instanceId) {

    public LeaseHolder {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("job execution " + jobExecutionId + ": a lease holder needs an instance id");
        }
    }
}
