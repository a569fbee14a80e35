package io.licensebatch.job.apply;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.config.BatchConfiguration;
import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.job.common.MassChangeGuard;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.job.common.RunReport;
import io.licensebatch.job.common.SummaryTasklet;
import io.licensebatch.db.SessionTuning;
import io.licensebatch.remote.RemoteManager;
import io.licensebatch.selection.SelectionCounts;
import io.licensebatch.selection.SelectionReads;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

/**
 * The apply step every job shares, and the summary step that ends every job. The apply step reads the
 * job instance's selection snapshot, decides per learner and applies the changes in chunks: partitioned
 * by work ({@link SelectionPartitioner}: ranges of items, small orgs together, large orgs split), each
 * partition a chunk step of its own (see {@link ApplyPartitionStep}).
 */
@Configuration
class ApplyStepConfiguration {

    /**
     * Its partitions run on this process's partition threads, or with {@code license-batch.workers=remote}
     * ({@code --workers remote}) on worker processes, through RabbitMQ ({@link RemoteManager}).
     */
    @Bean
    Step applyStep(JobRepository jobRepository, ApplyPartitionStep applyPartitionStep,
            SelectionPartitioner selectionPartitioner, TaskExecutor partitionExecutor, ApplyProgress applyProgress,
            LicenseBatchProperties properties, ObjectProvider<RemoteManager> remote) {
        PartitionHandler handler;
        if (properties.workers() == LicenseBatchProperties.Workers.REMOTE) {
            handler = remote.getObject().handler(ApplyPartitionStep.NAME);
        } else {
            TaskExecutorPartitionHandler local = new TaskExecutorPartitionHandler();
            local.setStep(applyPartitionStep);
            local.setTaskExecutor(partitionExecutor);
            handler = local;
        }
        return new StepBuilder("apply", jobRepository)
                .partitioner(ApplyPartitionStep.NAME, selectionPartitioner)
                .partitionHandler(handler)
                .listener(applyProgress.step())
                .build();
    }

    @Bean
    ApplyPartitionStep applyPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DataSource dataSource, SelectionReads selection, LicenseTypeGateway licenseTypes, SeatPoolGateway pools,
            AssignmentGateway assignments, OutcomeGateway outcomes, LicenseBatchProperties properties,
            ApplyProgress applyProgress, PartitionPlan plan, ChangeRequestGateway requests, SessionTuning session) {
        return new ApplyPartitionStep(jobRepository, transactionManager, dataSource, selection, licenseTypes, pools,
                assignments, outcomes, properties, applyProgress, plan, requests, session);
    }

    @Bean
    Step guardStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            SelectionCounts selection, OutcomeGateway outcomes, LearnerGateway learners,
            OrganizationGateway organizations, ChangeRequestGateway requests, LicenseBatchProperties properties) {
        return new StepBuilder("massChangeGuard", jobRepository)
                .tasklet(new MassChangeGuard(selection, outcomes, learners, organizations, requests, properties),
                        transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    LicenseJobs.SharedSteps sharedSteps(Step guardStep, Step applyStep, Step summaryStep) {
        return new LicenseJobs.SharedSteps(guardStep, applyStep, summaryStep);
    }

    @Bean
    Step summaryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, RunReport report,
            SessionTuning selection, LicenseBatchProperties properties) {
        return new StepBuilder("summary", jobRepository)
                .tasklet(new SummaryTasklet(report, selection, properties.reportHeap()), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    ApplyProgress applyProgress(ProgressMeter meter, SelectionCounts selection, OutcomeGateway outcomes) {
        return new ApplyProgress(meter, selection, outcomes);
    }

    @Bean
    @StepScope
    SelectionPartitioner selectionPartitioner(SelectionReads selection, SessionTuning tuning, PartitionPlan plan,
            LicenseBatchProperties properties, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, ObjectProvider<RemoteManager> remote, ApplyPartitionStep applyPartitionStep,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        ChangeRequest request = SelectionTasklet.request(requests, stepExecution.getJobParameters());
        return new SelectionPartitioner(selection, tuning, plan, ownTransaction, applyPartitionStep.processor(request),
                stepExecution.getJobExecution().getJobInstanceId(), mostRanges(jdbc, properties),
                // Remote: as many as consume the queue when the plan is made (workers may come and go; the
                // plan stays as made, for restarts too).
                properties.workers() == LicenseBatchProperties.Workers.REMOTE ? () -> remote.getObject().consumers()
                        : () -> BatchConfiguration.partitionsOn(jdbc, properties),
                properties.minPartitionItems(), request.options().transferSeats());
    }

    /**
     * Local threads: up to {@link SelectionPartitioner#RANGES_PER_THREAD} ranges per thread (one on H2, which takes
     * one writer at a time); remote workers: {@code license-batch.remote.ranges}.
     */
    private static int mostRanges(JdbcTemplate jdbc, LicenseBatchProperties properties) {
        if (properties.workers() == LicenseBatchProperties.Workers.REMOTE) {
            return properties.remote().ranges();
        }
        int threads = BatchConfiguration.partitionsOn(jdbc, properties);
        return threads == 1 ? 1 : threads * SelectionPartitioner.RANGES_PER_THREAD;
    }
}
