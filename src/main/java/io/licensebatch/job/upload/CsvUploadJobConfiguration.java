package io.licensebatch.job.upload;

import io.licensebatch.config.BatchConfiguration;
import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
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


/**
 * {@code reassign --csv} and {@code revoke --csv}: stage the upload record by record, judge repeated
 * learners across the whole file, then the same apply and summary steps as every other selection.
 */
@Configuration
class CsvUploadJobConfiguration {

    static final String JOB_NAME = "csvUpload";

    @Bean
    Job csvUploadJob(LicenseJobs jobs, Step stageRecordsStep, Step checkRepeatsStep, Step applyStep,
            Step summaryStep) {
        return jobs.job(JOB_NAME)
                .start(stageRecordsStep)
                .next(checkRepeatsStep)
                .next(applyStep)
                .next(summaryStep)
                .build();
    }

    @Bean
    Step stageRecordsStep(JobRepository jobRepository, StagePartitionStep stageRecordsPartitionStep,
            RecordRangePartitioner recordRangePartitioner, TaskExecutor partitionExecutor,
            ProgressMeter progress, SelectionGateway selection, ChangeRequestGateway requests) {
        return new StepBuilder("stageRecords", jobRepository)
                .partitioner(StagePartitionStep.NAME, recordRangePartitioner)
                .step(stageRecordsPartitionStep)
                .taskExecutor(partitionExecutor)
                .listener(progress.stepListener("stage", "records",
                        stepExecution -> records(requests.get(stepExecution.getJobParameters().getLong(
                                JobParameterNames.REQUEST))),
                        stepExecution -> selection.count(stepExecution.getJobExecution().getJobInstanceId())))
                .build();
    }

    @Bean
    StagePartitionStep stageRecordsPartitionStep(JobRepository jobRepository,
            PlatformTransactionManager transactionManager, ChangeRequestGateway requests,
            LicenseTypeGateway licenseTypes, SelectionGateway selection, ProgressMeter progress,
            LicenseBatchProperties properties, PartitionPlan plan) {
        return new StagePartitionStep(jobRepository, transactionManager, requests, licenseTypes, selection, progress,
                properties, plan);
    }

    @Bean
    @StepScope
    RecordRangePartitioner recordRangePartitioner(ChangeRequestGateway requests, JdbcTemplate jdbc,
            LicenseBatchProperties properties, PartitionPlan plan, PlatformTransactionManager transactionManager,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        long requestId = stepExecution.getJobParameters().getLong(JobParameterNames.REQUEST);
        return new RecordRangePartitioner(plan, ownTransaction, stepExecution.getJobExecution().getJobInstanceId(),
                records(requests.get(requestId)), BatchConfiguration.partitionsOn(jdbc, properties));
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
    CheckRepeatsTasklet checkRepeatsTasklet(ChangeRequestGateway requests, SelectionGateway selection,
            SelectionCompletion completion, @Value("#{jobParameters['" + JobParameterNames.REQUEST + "']}") long requestId) {
        return new CheckRepeatsTasklet(selection, completion, requests.get(requestId).orgId());
    }

    private static long records(ChangeRequest request) {
        return Long.parseLong(request.option("records").get(0));
    }
}
