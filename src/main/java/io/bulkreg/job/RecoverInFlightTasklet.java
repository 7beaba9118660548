package io.bulkreg.job;

import io.bulkreg.registration.ClaimStatistics;
import io.bulkreg.registration.CredentialRescue;
import io.bulkreg.registration.FaultProperties;
import io.bulkreg.registration.InDoubtResolution;
import io.bulkreg.registration.InFlightRecovery;
import java.util.stream.Collectors;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;

/**
 * The recovery step, before anything is sent: rescued credentials are stored first (their devices are in flight and
 * must not be flagged in doubt), then devices a dead run left in flight become IN_DOUBT, then, when configured, test
 * devices in doubt are sent again; last, the planner's statistics for the claims are refreshed (the rows just imported
 * are in them). Write count: the devices it changed.
 */
@Component
class RecoverInFlightTasklet implements Tasklet {

    private final InFlightRecovery recovery;
    private final InDoubtResolution resolution;
    private final CredentialRescue rescue;
    private final FaultProperties faults;
    private final ClaimStatistics statistics;

    RecoverInFlightTasklet(InFlightRecovery recovery, InDoubtResolution resolution, CredentialRescue rescue,
            FaultProperties faults, ClaimStatistics statistics) {
        this.statistics = statistics;
        this.recovery = recovery;
        this.resolution = resolution;
        this.rescue = rescue;
        this.faults = faults;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
        // Zero first: a restart starts this step from the context of the one it continues, which may hold its count.
        contribution.getStepExecution().getExecutionContext().putLong(RegistrationJobConfig.STORED_FROM_RESCUE, 0);
        rescue.ensureWritable();
        int rescued = recovery.storeRescued();
        contribution.incrementWriteCount(rescued);
        // Those devices' requests are an earlier run's, so the tables count them under it: the run says it stored them.
        contribution.getStepExecution().getExecutionContext().putLong(RegistrationJobConfig.STORED_FROM_RESCUE, rescued);
        contribution.incrementWriteCount(recovery.recover(contribution.getStepExecution().getJobExecutionId()));
        if (faults.resendInDoubtTestDevices()) {
            // Keys of a rescue file that could not be stored just now still settle their devices: not resent.
            contribution.incrementWriteCount(resolution.resendTestDevices(rescue.pending().stream()
                    .map(CredentialRescue.Rescued::requestId).collect(Collectors.toSet())));
        }
        statistics.refresh();
        return RepeatStatus.FINISHED;
    }
}
