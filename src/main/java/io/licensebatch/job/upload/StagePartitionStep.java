package io.licensebatch.job.upload;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.db.SessionTuning;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.PartitionWorkerStep;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionReads;
import io.licensebatch.selection.SelectionSnapshot;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.CsvUpload;
import io.licensebatch.selection.csv.FileBlocks;
import io.licensebatch.selection.csv.StagedRecord;
import io.licensebatch.selection.csv.UploadRecords;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
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
    private final SelectionReads selection;
    private final SelectionSnapshot snapshot;
    private final ProgressMeter progress;
    private final LicenseBatchProperties properties;
    private final PartitionPlan plan;
    private final SessionTuning session;

    StagePartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, LicenseTypeGateway licenseTypes, SelectionReads selection,
            SelectionSnapshot snapshot, ProgressMeter progress, LicenseBatchProperties properties, PartitionPlan plan,
            SessionTuning session) {
        super(NAME);
        this.session = session;
        this.plan = plan;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.requests = requests;
        this.licenseTypes = licenseTypes;
        this.selection = selection;
        this.snapshot = snapshot;
        this.progress = progress;
        this.properties = properties;
    }

    /** The partition's record range comes from the plan, by the step execution's name. */
    @Override
    protected Step chunkStep(StepExecution stepExecution) {
        long jobInstanceId = stepExecution.getJobExecution().getJobInstanceId();
        PartitionPlan.Range range = plan.range(jobInstanceId, stepExecution.getStepName());
        ChangeRequest request = SelectionTasklet.request(requests, stepExecution.getJobParameters());
        ChangeRequest.Upload upload = request.selection(ChangeRequest.Upload.class);
        Path file = Path.of(upload.file());
        FileBlocks accepted = upload.blocks();
        CsvColumns columns = CsvUpload.columnsOf(file, accepted, upload.ignoredColumns());
        Map<String, String> types = new HashMap<>();
        licenseTypes.catalog().retiredByCode().keySet().forEach(code -> types.put(code.toUpperCase(Locale.ROOT), code));
        UploadRecords records = new UploadRecords(columns, request.action(), request.targetType(),
                request.options().note(), types);
        CsvStagingReader reader = new CsvStagingReader(file, accepted,
                () -> selection.lastStaged(jobInstanceId, range.firstItem(), range.lastItem()), records,
                range.firstItem(), range.lastItem(), progress, stepExecution.getJobExecutionId());
        CsvStagingWriter writer = new CsvStagingWriter(snapshot, session, jobInstanceId, request.orgId());
        return new StepBuilder(NAME, jobRepository)
                .<StagedRecord, StagedRecord>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(writer)
                .build();
    }
}
