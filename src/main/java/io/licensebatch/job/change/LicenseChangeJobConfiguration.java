package io.licensebatch.job.change;

import io.licensebatch.config.BatchConfiguration;
import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.request.RequestKind;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;

/**
 * {@code reassign} and {@code revoke} for learners chosen by filters or by name: select, then the guard, apply
 * and summary every job has.
 * One job for both actions: the request says which.
 */
@Configuration
class LicenseChangeJobConfiguration {

    static final String JOB_NAME = "licenseChange";

    @Bean
    Job licenseChangeJob(LicenseJobs jobs, Step selectLearnersStep) {
        return jobs.define(JOB_NAME, Set.of(RequestKind.FILTER, RequestKind.LEARNERS), List.of(selectLearnersStep),
                List.of());
    }

    @Bean
    Step selectLearnersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, SelectionSnapshot selection, LearnerGateway learners,
            AssignmentGateway assignments, SelectionCompletion completion, TaskExecutor partitionExecutor,
            LicenseBatchProperties properties, JdbcTemplate jdbc) {
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        FilterSelection filterSelection = new FilterSelection(selection, ownTransaction, partitionExecutor,
                BatchConfiguration.partitionsOn(jdbc, properties), properties.minPartitionItems());
        return new StepBuilder("selectLearners", jobRepository)
                .tasklet(new SelectLearnersTasklet(requests, selection, learners, assignments, completion,
                        filterSelection), transactionManager)
                .build();
    }
}
