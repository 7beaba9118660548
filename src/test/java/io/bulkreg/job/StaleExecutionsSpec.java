package io.bulkreg.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.device.NewTransaction;
import io.bulkreg.support.MigratedDatabase;
import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Recovery of executions left running, with Spring Batch's real job repository on an in-memory database: what two
 * workers starting at once do to the same abandoned execution.
 */
class StaleExecutionsSpec {

    MigratedDatabase db;
    JobRepository jobRepository;
    StaleExecutions staleExecutions;

    @BeforeEach
    void aJobRepository() throws Exception {
        db = MigratedDatabase.create();
        JdbcJobRepositoryFactoryBean repository = new JdbcJobRepositoryFactoryBean();
        repository.setDataSource(db.dataSource());
        repository.setTransactionManager(db.transactionManager());
        repository.afterPropertiesSet();
        jobRepository = repository.getObject();
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(jobRepository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.afterPropertiesSet();
        LeaseProperties lease = new LeaseProperties(Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofSeconds(25));
        staleExecutions = new StaleExecutions(jobRepository, operator, db.jdbcClient(), lease, new WorkerInstance(),
                new LeaseTakeover(db.jdbcClient(), new NewTransaction(db.transactionManager())));
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** An execution STARTED by a process that died before it wrote its lease row, a minute ago, in its first step. */
    long aLeaselessStartedExecution() {
        JobParameters parameters = new JobParametersBuilder().addString("run", "night-1").toJobParameters();
        JobInstance instance = jobRepository.createJobInstance(RegistrationJobConfig.JOB_NAME, parameters);
        JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
        execution.setStatus(BatchStatus.STARTED);
        execution.setStartTime(LocalDateTime.now().minusMinutes(1));
        jobRepository.update(execution);
        StepExecution step = jobRepository.createStepExecution("registerPending", execution);
        step.setStatus(BatchStatus.STARTED);
        jobRepository.update(step);
        db.jdbc().update("UPDATE BATCH_JOB_EXECUTION SET CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?",
                LocalDateTime.now().minusMinutes(1), execution.getId());
        return execution.getId();
    }

    @Test
    void givenALeaselessExecutionLeftStarted_whenAWorkerStarts_thenItIsMarkedFailed() {
        long id = aLeaselessStartedExecution();

        assertThat(staleExecutions.recover(RegistrationJobConfig.JOB_NAME)).singleElement().asString()
                .contains("Recovered job execution " + id);

        assertThat(jobRepository.getJobExecution(id).getStatus()).isEqualTo(BatchStatus.FAILED);
    }

    @Test
    void givenTwoWorkersReadTheSameLeaselessExecution_whenBothRecoverIt_thenOneMarksItAndTheOtherGoesOnWithoutFailing() {
        long id = aLeaselessStartedExecution();
        // Both workers read the execution as running before either of them marks it.
        JobExecution readByFirst = jobRepository.getJobExecution(id);
        JobExecution readBySecond = jobRepository.getJobExecution(id);

        assertThat(staleExecutions.recoverIfAbandoned(readByFirst)).isPresent();
        assertThat(staleExecutions.recoverIfAbandoned(readBySecond)).as("the second finds it recovered").isEmpty();

        assertThat(jobRepository.getJobExecution(id).getStatus()).isEqualTo(BatchStatus.FAILED);
    }

    @Test
    void givenAnotherWorkerHalfwayThroughRecoveringIt_whenASecondWorkerRecoversIt_thenItLeavesItToTheFirst() {
        long id = aLeaselessStartedExecution();
        JobExecution readBySecond = jobRepository.getJobExecution(id);
        // The first worker has marked the step (a commit of its own) and not yet the job.
        StepExecution step = jobRepository.getJobExecution(id).getStepExecutions().iterator().next();
        step.setStatus(BatchStatus.FAILED);
        jobRepository.update(step);

        assertThat(staleExecutions.recoverIfAbandoned(readBySecond)).isEmpty();

        assertThat(jobRepository.getJobExecution(id).getStatus()).as("left to the first worker").isEqualTo(BatchStatus.STARTED);
    }
}
