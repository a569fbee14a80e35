package io.licensebatch.job.undo;

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

/** {@code undo EXECUTION}: a new job instance that puts back what another run changed. */
@Configuration
class UndoJobConfiguration {

    @Bean
    Job undoJob(LicenseJobs jobs, Step selectUndoStep, Step applyStep, Step summaryStep) {
        return jobs.job("undo")
                .start(selectUndoStep)
                .next(applyStep)
                .next(summaryStep)
                .build();
    }

    @Bean
    Step selectUndoStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, SelectionGateway selection, SelectionCompletion completion) {
        return new StepBuilder("selectUndo", jobRepository)
                .tasklet(new SelectUndoTasklet(requests, selection, completion, jobRepository), transactionManager)
                .build();
    }
}
