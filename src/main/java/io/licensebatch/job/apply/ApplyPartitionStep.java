package io.licensebatch.job.apply;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.db.SessionTuning;
import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatBudget;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.request.RequestKind;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.PartitionWorkerStep;
import io.licensebatch.selection.SelectionReads;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

/** The apply step's worker: a chunk step per partition, over its item range (see {@link PartitionWorkerStep}). */
class ApplyPartitionStep extends PartitionWorkerStep {

    static final String NAME = "applyPartition";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataSource dataSource;
    private final SelectionReads selection;
    private final LicenseTypeGateway licenseTypes;
    private final SeatPoolGateway pools;
    private final AssignmentGateway assignments;
    private final OutcomeGateway outcomes;
    private final LicenseBatchProperties properties;
    private final ApplyProgress progress;
    private final PartitionPlan plan;
    private final ChangeRequestGateway requests;
    private final SessionTuning session;

    ApplyPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DataSource dataSource, SelectionReads selection, LicenseTypeGateway licenseTypes, SeatPoolGateway pools,
            AssignmentGateway assignments, OutcomeGateway outcomes, LicenseBatchProperties properties,
            ApplyProgress progress, PartitionPlan plan, ChangeRequestGateway requests, SessionTuning session) {
        super(NAME);
        this.session = session;
        this.plan = plan;
        this.requests = requests;
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

    /**
     * The partition's range and seat budget come from the plan, by the step execution's name (never from its
     * execution context, which a kill can leave empty); where the range got to comes from its outcome rows.
     */
    @Override
    protected Step chunkStep(StepExecution stepExecution) {
        ChangeRequest request = SelectionTasklet.request(requests, stepExecution.getJobParameters());
        long jobInstanceId = stepExecution.getJobExecution().getJobInstanceId();
        boolean dryRun = request.dryRun();
        boolean transferSeats = request.options().transferSeats();
        PartitionPlan.Range range = plan.range(jobInstanceId, stepExecution.getStepName());
        SelectionReader reader = new SelectionReader(selection, jobInstanceId, range.firstItem(), range.lastItem(),
                properties.chunkSize());
        ApplyProcessor processor = processor(request);
        Changes changes = dryRun ? new DryRunChanges(pools, jobInstanceId) : new RealChanges(pools, assignments);
        ApplyWriter writer = new ApplyWriter(changes, outcomes,
                new ChunkTransaction(dataSource, properties.transientRetries(), properties.retryBackoff()), session,
                jobInstanceId, stepExecution.getJobExecutionId(), transferSeats, budget(jobInstanceId, range));
        return new StepBuilder(NAME, jobRepository)
                .<Candidate, Decided>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .listener(progress.chunks())
                .build();
    }

    /** What decides per learner in the partitions of this request's run (and, ahead of them, for its seat plan). */
    ApplyProcessor processor(ChangeRequest request) {
        return new ApplyProcessor(licenseTypes, swapsDeactivated(request), request.options().transferSeats());
    }

    /**
     * A migration swaps a license for its successor, a deactivated learner's too (no license is given, one is
     * replaced); so does the apply of a migration's plan.
     */
    private boolean swapsDeactivated(ChangeRequest request) {
        if (request.kind() == RequestKind.PLAN) {
            long plan = request.selection(ChangeRequest.Plan.class).planExecutionId();
            return swapsDeactivated(SelectionTasklet.request(requests,
                    jobRepository.getJobExecution(plan).getJobParameters()));
        }
        return request.kind() == RequestKind.MIGRATE;
    }

    /** The range's budget for its short pools, resumed to where its committed outcomes left it. */
    private SeatBudget budget(long jobInstanceId, PartitionPlan.Range range) {
        Map<PoolKey, Integer> initial = plan.budgets(jobInstanceId, range.stepName());
        SeatBudget budget = new SeatBudget(initial);
        if (initial.isEmpty()) {
            return budget;
        }
        long done = selection.lastDone(jobInstanceId, range.firstItem(), range.lastItem());
        if (done < range.firstItem()) {
            return budget;
        }
        Map<PoolKey, long[]> counts = new HashMap<>(); // seen, taken, freed
        selection.arrivalsUpTo(jobInstanceId, range.firstItem(), done,
                (org, type, n) -> counts.computeIfAbsent(new PoolKey(org, type), key -> new long[3])[0] = n);
        selection.seatsTakenAndFreed(jobInstanceId, range.firstItem(), done,
                (org, type, n) -> counts.computeIfAbsent(new PoolKey(org, type), key -> new long[3])[1] += n,
                (org, type, n) -> counts.computeIfAbsent(new PoolKey(org, type), key -> new long[3])[2] += n);
        counts.forEach((pool, count) -> budget.resume(pool, count[0], count[1], count[2]));
        return budget;
    }
}
