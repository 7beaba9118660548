package io.bulkreg.job;

import io.bulkreg.registration.PendingDevices;
import io.bulkreg.registration.RequestDispatcher;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * One partition of the registration step: each call claims the next devices waiting that no other worker holds and
 * sends them as one request, until nothing is left to claim. No reader of its own: a reader paging PENDING rows would
 * offer every worker on the database the same rows; the claim itself (FOR UPDATE SKIP LOCKED) is what shares them.
 * Spring Batch stops the step between two calls (one request) when the job is stopped; each call's state changes
 * commit in transactions of their own (DeviceRegistrations), whatever becomes of the step's.
 */
class RegisterPendingTasklet implements Tasklet {

    private final RequestDispatcher dispatcher;
    private final PendingDevices pending;
    private final int devicesPerRequest;

    RegisterPendingTasklet(RequestDispatcher dispatcher, PendingDevices pending, int devicesPerRequest) {
        this.dispatcher = dispatcher;
        this.pending = pending;
        this.devicesPerRequest = devicesPerRequest;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
        return RepeatStatus.continueIf(dispatcher.dispatchNext(pending, devicesPerRequest));
    }
}
