package io.licensebatch.job.upload;

import io.licensebatch.config.BatchConfiguration;
import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.job.common.ExecutionOwnership;
import io.licensebatch.job.common.GracefulShutdown;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.CsvUpload;
import io.licensebatch.selection.csv.StagedRecord;
import io.licensebatch.selection.csv.UploadRecords;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
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

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code reassign --csv} and {@code revoke --csv}: stage the upload record by record, judge repeated
 * learners across the whole file, then the same apply and summary steps as every other selection.
 */
@Configuration
class CsvUploadJobConfiguration {

    static final String JOB_NAME = "csvUpload";

    @Bean
    Job csvUploadJob(JobRepository jobRepository, Step stageRecordsStep, Step checkRepeatsStep, Step applyStep,
            Step summaryStep, ExecutionOwnership ownership, GracefulShutdown shutdown) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(ownership)
                .listener(shutdown)
                .start(stageRecordsStep)
                .next(checkRepeatsStep)
                .next(applyStep)
                .next(summaryStep)
                .build();
    }

    @Bean
    Step stageRecordsStep(JobRepository jobRepository, Step stageRecordsPartitionStep,
            RecordRangePartitioner recordRangePartitioner, TaskExecutor partitionExecutor,
            ProgressMeter progress, SelectionGateway selection, ChangeRequestGateway requests) {
        return new StepBuilder("stageRecords", jobRepository)
                .partitioner("stageRecordsPartition", recordRangePartitioner)
                .step(stageRecordsPartitionStep)
                .taskExecutor(partitionExecutor)
                .listener(progress.stepListener("stage", "records",
                        stepExecution -> records(requests.get(stepExecution.getJobParameters().getLong(
                                JobParameterNames.REQUEST))),
                        stepExecution -> selection.count(stepExecution.getJobExecution().getJobInstanceId())))
                .build();
    }

    @Bean
    Step stageRecordsPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CsvStagingReader csvStagingReader, CsvStagingWriter csvStagingWriter, LicenseBatchProperties properties) {
        return new StepBuilder("stageRecordsPartition", jobRepository)
                .<StagedRecord, StagedRecord>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(csvStagingReader)
                .writer(csvStagingWriter)
                .build();
    }

    @Bean
    @StepScope
    RecordRangePartitioner recordRangePartitioner(ChangeRequestGateway requests, JdbcTemplate jdbc,
            LicenseBatchProperties properties,
            @Value("#{jobParameters['" + JobParameterNames.REQUEST + "']}") long requestId) {
        return new RecordRangePartitioner(records(requests.get(requestId)),
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
    CsvStagingReader csvStagingReader(ChangeRequestGateway requests, LicenseTypeGateway licenseTypes,
            ProgressMeter progress, @Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{jobParameters['" + JobParameterNames.REQUEST + "']}") long requestId,
            @Value("#{stepExecutionContext['" + RecordRangePartitioner.FIRST_RECORD + "']}") long firstRecord,
            @Value("#{stepExecutionContext['" + RecordRangePartitioner.LAST_RECORD + "']}") long lastRecord) {
        ChangeRequest request = requests.get(requestId);
        Path file = Path.of(request.csvFile());
        CsvColumns columns = CsvUpload.columnsOf(file);
        Map<String, String> types = new HashMap<>();
        licenseTypes.catalog().retiredByCode().keySet().forEach(code -> types.put(code.toUpperCase(Locale.ROOT), code));
        UploadRecords records = new UploadRecords(columns, request.action(), request.targetType(),
                request.option("note").stream().findFirst().orElse(null), types);
        return new CsvStagingReader(file, request.csvSha256(), records, firstRecord, lastRecord, progress,
                stepExecution.getJobExecutionId());
    }

    @Bean
    @StepScope
    CsvStagingWriter csvStagingWriter(ChangeRequestGateway requests, SelectionGateway selection,
            @Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{jobParameters['" + JobParameterNames.REQUEST + "']}") long requestId) {
        return new CsvStagingWriter(selection, stepExecution.getJobExecution().getJobInstanceId(),
                requests.get(requestId).orgId());
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
