package io.licensebatch.job.apply;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.config.BatchConfiguration;
import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.job.common.RunReport;
import io.licensebatch.job.common.SummaryTasklet;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

/**
 * The apply step every job shares, and the summary step that ends every job. The apply step reads the
 * job instance's selection snapshot, decides per learner and applies the changes in chunks: partitioned
 * by organization (and, for large orgs, by item range), each partition a chunk step of its own with its
 * own checkpoint.
 */
@Configuration
class ApplyStepConfiguration {

    @Bean
    Step applyStep(JobRepository jobRepository, Step applyPartitionStep, SelectionPartitioner selectionPartitioner,
            TaskExecutor partitionExecutor, ApplyProgress applyProgress) {
        return new StepBuilder("apply", jobRepository)
                .partitioner("applyPartition", selectionPartitioner)
                .step(applyPartitionStep)
                .taskExecutor(partitionExecutor)
                .listener(applyProgress.step())
                .build();
    }

    @Bean
    Step applyPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            SelectionReader applySelectionReader, ApplyProcessor applyProcessor, ApplyWriter applyWriter,
            LicenseBatchProperties properties, ApplyProgress applyProgress) {
        return new StepBuilder("applyPartition", jobRepository)
                .<Candidate, Decided>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(applySelectionReader)
                .processor(applyProcessor)
                .writer(applyWriter)
                .listener(applyProgress.chunks())
                .build();
    }

    @Bean
    Step summaryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, RunReport report,
            SelectionGateway selection) {
        return new StepBuilder("summary", jobRepository)
                .tasklet(new SummaryTasklet(report, selection), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    ApplyProgress applyProgress(ProgressMeter meter, SelectionGateway selection, OutcomeGateway outcomes) {
        return new ApplyProgress(meter, selection, outcomes);
    }

    @Bean
    @StepScope
    SelectionPartitioner selectionPartitioner(SelectionGateway selection, LicenseBatchProperties properties,
            JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        TransactionTemplate readOnly = new TransactionTemplate(transactionManager);
        readOnly.setReadOnly(true);
        return new SelectionPartitioner(selection, readOnly, stepExecution.getJobExecution().getJobInstanceId(),
                BatchConfiguration.partitionsOn(jdbc, properties), properties.minPartitionItems());
    }

    @Bean
    @StepScope
    SelectionReader applySelectionReader(SelectionGateway selection, LicenseBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{stepExecutionContext['" + SelectionPartitioner.FIRST_ITEM + "']}") long firstItem,
            @Value("#{stepExecutionContext['" + SelectionPartitioner.LAST_ITEM + "']}") long lastItem) {
        return new SelectionReader(selection, stepExecution.getJobExecution().getJobInstanceId(), firstItem, lastItem,
                properties.chunkSize());
    }

    @Bean
    @StepScope
    ApplyProcessor applyProcessor(LicenseTypeGateway licenseTypes,
            @Value("#{jobParameters['" + JobParameterNames.MOVE_DEACTIVATED + "'] ?: false}") boolean moveDeactivated,
            @Value("#{jobParameters['" + JobParameterNames.TRANSFER_SEATS + "'] ?: false}") boolean transferSeats) {
        return new ApplyProcessor(licenseTypes, moveDeactivated, transferSeats);
    }

    @Bean
    @StepScope
    ApplyWriter applyWriter(SeatPoolGateway pools, AssignmentGateway assignments, OutcomeGateway outcomes,
            DataSource dataSource, LicenseBatchProperties properties,
            @Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{jobParameters['" + JobParameterNames.DRY_RUN + "'] ?: false}") boolean dryRun,
            @Value("#{jobParameters['" + JobParameterNames.TRANSFER_SEATS + "'] ?: false}") boolean transferSeats) {
        ChunkTransaction transaction = new ChunkTransaction(dataSource, properties.transientRetries(),
                properties.retryBackoff());
        return new ApplyWriter(pools, assignments, outcomes, transaction,
                stepExecution.getJobExecution().getJobInstanceId(), stepExecution.getJobExecutionId(), dryRun,
                transferSeats);
    }

}
