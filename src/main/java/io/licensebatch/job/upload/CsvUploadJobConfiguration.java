package io.licensebatch.job.upload;

import io.licensebatch.config.BatchConfiguration;
import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.RequestKind;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.db.SessionTuning;
import io.licensebatch.selection.SelectionCounts;
import io.licensebatch.selection.SelectionReads;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;


/**
 * {@code reassign --csv} and {@code revoke --csv}: stage the upload record by record, judge repeated
 * learners across the whole file, then the same apply and summary steps as every other selection.
 */
@Configuration
class CsvUploadJobConfiguration {

    static final String JOB_NAME = "csvUpload";

    @Bean
    Job csvUploadJob(LicenseJobs jobs, Step stageRecordsStep, Step checkRepeatsStep) {
        return jobs.define(JOB_NAME, Set.of(RequestKind.CSV), List.of(stageRecordsStep, checkRepeatsStep), List.of());
    }

    @Bean
    Step stageRecordsStep(JobRepository jobRepository, StagePartitionStep stageRecordsPartitionStep,
            RecordRangePartitioner recordRangePartitioner, TaskExecutor partitionExecutor,
            ProgressMeter progress, SelectionCounts selection, ChangeRequestGateway requests) {
        return new StepBuilder("stageRecords", jobRepository)
                .partitioner(StagePartitionStep.NAME, recordRangePartitioner)
                .step(stageRecordsPartitionStep)
                .taskExecutor(partitionExecutor)
                .listener(progress.stepListener("stage", "records",
                        stepExecution -> records(SelectionTasklet.request(requests, stepExecution.getJobParameters())),
                        stepExecution -> selection.count(stepExecution.getJobExecution().getJobInstanceId())))
                .build();
    }

    @Bean
    StagePartitionStep stageRecordsPartitionStep(JobRepository jobRepository,
            PlatformTransactionManager transactionManager, ChangeRequestGateway requests,
            LicenseTypeGateway licenseTypes, SelectionReads selection, SelectionSnapshot snapshot, ProgressMeter progress,
            LicenseBatchProperties properties, PartitionPlan plan, SessionTuning session) {
        return new StagePartitionStep(jobRepository, transactionManager, requests, licenseTypes, selection, snapshot,
                progress, properties, plan, session);
    }

    @Bean
    @StepScope
    RecordRangePartitioner recordRangePartitioner(ChangeRequestGateway requests, JdbcTemplate jdbc,
            LicenseBatchProperties properties, PartitionPlan plan, PlatformTransactionManager transactionManager,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new RecordRangePartitioner(plan, ownTransaction, stepExecution.getJobExecution().getJobInstanceId(),
                records(SelectionTasklet.request(requests, stepExecution.getJobParameters())),
                BatchConfiguration.partitionsOn(jdbc, properties));
    }

    @Bean
    Step checkRepeatsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CheckRepeatsTasklet checkRepeatsTasklet) {
        return new StepBuilder("checkRepeats", jobRepository)
                .tasklet(checkRepeatsTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    CheckRepeatsTasklet checkRepeatsTasklet(ChangeRequestGateway requests, SelectionSnapshot snapshot,
            SessionTuning tuning,
            SelectionCompletion completion, @Value("#{stepExecution}") StepExecution stepExecution) {
        return new CheckRepeatsTasklet(snapshot, tuning, completion,
                SelectionTasklet.request(requests, stepExecution.getJobParameters()).orgId());
    }

    private static long records(ChangeRequest request) {
        return request.selection(ChangeRequest.Upload.class).records();
    }
}
