/**
 * The Spring Batch job: its steps as wiring ({@code RegistrationJobConfig}) and their tasklets, starting and
 * restarting it ({@code RegistrationRuns}), the liveness lease and the recovery of executions a dead process left
 * STARTED ({@code ExecutionLease}, {@code StaleExecutions}), stopping on SIGTERM ({@code GracefulStop}) and the
 * rolled-back rehearsal. Assembles lot, registration and results; used by cli.
 */
package io.bulkreg.job;
