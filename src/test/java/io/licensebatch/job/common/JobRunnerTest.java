package io.licensebatch.job.common;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Telling a dead execution from a live one by the request's claim, never by a timer: an execution nobody
 * holds the claim of is dead the moment its process is gone, whatever Spring Batch's tables say (STARTING,
 * STARTED, UNKNOWN, steps left running), and is recovered and resumed; one whose claim is held is refused.
 */
class JobRunnerTest extends PostgresIntegrationTest {

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JobRunner runner;

    @Autowired
    RequestClaims claims;

    @Test
    void anExecutionWhoseProcessDiedBeforeItClaimedAnythingIsRecoveredAtOnce() {
        JobExecution starting = execution(424_242L);

        assertThat(runner.isAlive(starting)).as("nobody holds its claim").isFalse();
        JobExecution restarted = runner.restart(starting.getId());

        assertThat(runner.find(starting.getId()).getStatus()).as("recovered, no grace period")
                .isEqualTo(BatchStatus.FAILED);
        assertThat(restarted.getId()).as("and restarted").isNotEqualTo(starting.getId());
        assertThat(FailureCause.of(restarted).orElseThrow().message()).as("the request was never written")
                .contains("no change request 424242");
    }

    @Test
    void anExecutionWhoseClaimIsHeldIsRefusedAndLeftAlone() {
        JobExecution running = execution(515_151L);
        try (RequestClaims.Claim held = claims.claim(515_151L).orElseThrow()) {
            assertThat(runner.isAlive(running)).isTrue();
            assertThatThrownBy(() -> runner.restart(running.getId())).isInstanceOf(AlreadyRunningException.class)
                    .hasMessageContaining("request 515151 is being run right now by another process")
                    .hasMessageContaining("database session");
        }
        assertThat(runner.find(running.getId()).getStatus()).isEqualTo(BatchStatus.STARTING);
    }

    @Test
    void anUnknownExecutionWithStepsLeftRunningOrUnknownIsRecoveredAndResumed() {
        JobExecution cut = execution(616_161L);
        cut.setStatus(BatchStatus.UNKNOWN);
        jobRepository.update(cut);
        StepExecution unknown = jobRepository.createStepExecution("applyPartition:range1", cut);
        unknown.setStatus(BatchStatus.UNKNOWN);
        jobRepository.update(unknown);
        StepExecution started = jobRepository.createStepExecution("applyPartition:range2", cut);
        started.setStatus(BatchStatus.STARTED);
        jobRepository.update(started);

        JobExecution restarted = runner.restart(cut.getId());

        JobExecution recovered = runner.find(cut.getId());
        assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(recovered.getStepExecutions()).extracting(StepExecution::getStatus)
                .containsOnly(BatchStatus.FAILED);
        assertThat(restarted.getId()).isNotEqualTo(cut.getId());
    }

    private JobExecution execution(long requestId) {
        JobParameters parameters = new JobParametersBuilder().addLong(JobParameterNames.REQUEST, requestId)
                .toJobParameters();
        JobInstance instance = jobRepository.createJobInstance("licenseChange", parameters);
        return jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
    }
}
