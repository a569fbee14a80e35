package io.licensebatch.job.retry;

import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code retry-failed EXECUTION}: a new job instance over another run's failed and retryable learners
 * (not a restart: the source run stays as it ended).
 */
@Configuration
class RetryFailedJobConfiguration {

    @Bean
    Job retryFailedJob(LicenseJobs jobs, Step selectRetriesStep, Step applyStep, Step summaryStep) {
        return jobs.job("retryFailed")
                .start(selectRetriesStep)
                .next(applyStep)
                .next(summaryStep)
                .build();
    }

    @Bean
    Step selectRetriesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, SelectionGateway selection, SelectionCompletion completion) {
        return new StepBuilder("selectRetries", jobRepository)
                .tasklet(new SelectRetriesTasklet(requests, selection, completion, jobRepository), transactionManager)
                .build();
    }
}
