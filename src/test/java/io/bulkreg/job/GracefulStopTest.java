package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

class GracefulStopTest {

    @Test
    void givenAJobWhoseBeforeJobNeverRan_whenItEnds_thenAfterJobHasNothingToUndoAndThrowsNothing() {
        GracefulStop stop = new GracefulStop(null, new LeaseProperties(Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(25)), null);
        JobExecution execution = new JobExecution(1L, new JobInstance(1L, "registerDevices"), new JobParameters());

        assertThatCode(() -> stop.afterJob(execution)).doesNotThrowAnyException();
    }
}
