package io.licensebatch.job.followup;

import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.request.RequestKind;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.List;
import java.util.Set;

/**
 * The runs that follow up another one, each a new job instance (not a restart: the other run stays as it
 * ended): {@code retry-failed} (its failed and retryable learners), {@code undo} (put back what it changed),
 * and {@code apply} (a reviewed dry run, carried out exactly). They share their selection step
 * ({@link SelectFollowUpTasklet}) and everything after it.
 */
@Configuration
class FollowUpJobConfiguration {

    @Bean
    Job retryFailedJob(LicenseJobs jobs, Step selectFollowUpStep) {
        return jobs.define("retryFailed", Set.of(RequestKind.RETRY_FAILED), List.of(selectFollowUpStep), List.of());
    }

    @Bean
    Job undoJob(LicenseJobs jobs, Step selectFollowUpStep) {
        return jobs.define("undo", Set.of(RequestKind.UNDO), List.of(selectFollowUpStep), List.of());
    }

    @Bean
    Job applyPlanJob(LicenseJobs jobs, Step selectFollowUpStep) {
        return jobs.define("applyPlan", Set.of(RequestKind.PLAN), List.of(selectFollowUpStep), List.of());
    }

    @Bean
    Step selectFollowUpStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, SelectionSnapshot selection, SelectionCompletion completion) {
        return new StepBuilder("selectFollowUp", jobRepository)
                .tasklet(new SelectFollowUpTasklet(requests, selection, completion, jobRepository), transactionManager)
                .build();
    }
}
