package io.licensebatch.job.apply;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.PartitionWorkerStep;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;

/** The apply step's worker: a chunk step per partition, over its item range (see {@link PartitionWorkerStep}). */
class ApplyPartitionStep extends PartitionWorkerStep {

    static final String NAME = "applyPartition";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataSource dataSource;
    private final SelectionGateway selection;
    private final LicenseTypeGateway licenseTypes;
    private final SeatPoolGateway pools;
    private final AssignmentGateway assignments;
    private final OutcomeGateway outcomes;
    private final LicenseBatchProperties properties;
    private final ApplyProgress progress;

    ApplyPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DataSource dataSource, SelectionGateway selection, LicenseTypeGateway licenseTypes, SeatPoolGateway pools,
            AssignmentGateway assignments, OutcomeGateway outcomes, LicenseBatchProperties properties,
            ApplyProgress progress) {
        super(NAME);
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.dataSource = dataSource;
        this.selection = selection;
        this.licenseTypes = licenseTypes;
        this.pools = pools;
        this.assignments = assignments;
        this.outcomes = outcomes;
        this.properties = properties;
        this.progress = progress;
    }

    @Override
    protected Step chunkStep(StepExecution stepExecution) {
        ExecutionContext partition = stepExecution.getExecutionContext();
        JobParameters parameters = stepExecution.getJobParameters();
        long jobInstanceId = stepExecution.getJobExecution().getJobInstanceId();
        boolean dryRun = JobParameterNames.flag(parameters, JobParameterNames.DRY_RUN);
        boolean transferSeats = JobParameterNames.flag(parameters, JobParameterNames.TRANSFER_SEATS);
        boolean moveDeactivated = JobParameterNames.flag(parameters, JobParameterNames.MOVE_DEACTIVATED);
        SelectionReader reader = new SelectionReader(selection, jobInstanceId,
                partition.getLong(SelectionPartitioner.FIRST_ITEM), partition.getLong(SelectionPartitioner.LAST_ITEM),
                properties.chunkSize());
        ApplyProcessor processor = new ApplyProcessor(licenseTypes, moveDeactivated, transferSeats);
        ApplyWriter writer = new ApplyWriter(pools, assignments, outcomes,
                new ChunkTransaction(dataSource, properties.transientRetries(), properties.retryBackoff()),
                jobInstanceId, stepExecution.getJobExecutionId(), dryRun, transferSeats);
        return new StepBuilder(NAME, jobRepository)
                .<Candidate, Decided>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .listener(progress.chunks())
                .build();
    }
}
