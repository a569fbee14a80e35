package io.licensebatch.job.upload;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.PartitionWorkerStep;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionGateway;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.CsvUpload;
import io.licensebatch.selection.csv.StagedRecord;
import io.licensebatch.selection.csv.UploadRecords;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The staging step's worker: a chunk step per partition, over its record range (see {@link PartitionWorkerStep}). */
class StagePartitionStep extends PartitionWorkerStep {

    static final String NAME = "stageRecordsPartition";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final ChangeRequestGateway requests;
    private final LicenseTypeGateway licenseTypes;
    private final SelectionGateway selection;
    private final ProgressMeter progress;
    private final LicenseBatchProperties properties;

    StagePartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, LicenseTypeGateway licenseTypes, SelectionGateway selection,
            ProgressMeter progress, LicenseBatchProperties properties) {
        super(NAME);
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.requests = requests;
        this.licenseTypes = licenseTypes;
        this.selection = selection;
        this.progress = progress;
        this.properties = properties;
    }

    @Override
    protected Step chunkStep(StepExecution stepExecution) {
        ExecutionContext partition = stepExecution.getExecutionContext();
        ChangeRequest request = requests.get(stepExecution.getJobParameters().getLong(JobParameterNames.REQUEST));
        Path file = Path.of(request.csvFile());
        CsvColumns columns = CsvUpload.columnsOf(file);
        Map<String, String> types = new HashMap<>();
        licenseTypes.catalog().retiredByCode().keySet().forEach(code -> types.put(code.toUpperCase(Locale.ROOT), code));
        UploadRecords records = new UploadRecords(columns, request.action(), request.targetType(),
                request.option("note").stream().findFirst().orElse(null), types);
        CsvStagingReader reader = new CsvStagingReader(file, request.csvSha256(), records,
                partition.getLong(RecordRangePartitioner.FIRST_RECORD),
                partition.getLong(RecordRangePartitioner.LAST_RECORD), progress, stepExecution.getJobExecutionId());
        CsvStagingWriter writer = new CsvStagingWriter(selection, stepExecution.getJobExecution().getJobInstanceId(),
                request.orgId());
        return new StepBuilder(NAME, jobRepository)
                .<StagedRecord, StagedRecord>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(writer)
                .build();
    }
}
