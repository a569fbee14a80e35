package io.licensebatch.job.common;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Telling a dead execution from one that is only starting: Spring Batch writes the execution a moment before
 * its process claims it, and a restart in that moment must not take it for dead and recover it.
 */
class JobRunnerTest extends PostgresIntegrationTest {

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JobRunner runner;

    @Test
    void anUnclaimedExecutionIsStartingForAMinuteThenDead() {
        JobParameters parameters = new JobParametersBuilder().addLong(JobParameterNames.REQUEST, 424_242L)
                .toJobParameters();
        JobInstance instance = jobRepository.createJobInstance("licenseChange", parameters);
        JobExecution starting = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());

        assertThat(runner.isAlive(starting)).as("nobody holds it yet").isFalse();
        assertThatThrownBy(() -> runner.restart(starting.getId()))
                .isInstanceOf(AlreadyRunningException.class)
                .hasMessageContaining("execution " + starting.getId() + " was created moments ago");
        assertThat(runner.find(starting.getId()).getStatus()).as("left alone").isEqualTo(BatchStatus.STARTING);

        jdbc.update("update batch_job_execution set create_time = create_time - interval '2 minutes'"
                + " where job_execution_id = ?", starting.getId());
        JobExecution restarted = runner.restart(starting.getId());
        assertThat(runner.find(starting.getId()).getStatus()).as("past the grace period it is dead: recovered")
                .isEqualTo(BatchStatus.FAILED);
        assertThat(restarted.getId()).as("and restarted").isNotEqualTo(starting.getId());
        assertThat(restarted.getExitStatus().getExitDescription()).as("the request was never written")
                .contains("no change request 424242");
    }
}
