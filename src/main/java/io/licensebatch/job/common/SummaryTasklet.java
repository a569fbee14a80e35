package io.licensebatch.job.common;

import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.jvm.HeapWatch;
import io.licensebatch.db.SessionTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.util.List;

/** Every job's last step: prints the run's summary (see {@link RunReport}). */
public class SummaryTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(SummaryTasklet.class);

    /** The job execution context's counts of the run's FAILED and REJECTED learners, as the summary found them. */
    public static final String FAILED = "summary.failed";
    public static final String REJECTED = "summary.rejected";

    private final RunReport report;
    private final SessionTuning selection;
    private final boolean reportHeap;

    /** @param reportHeap end with the JVM's peak heap (the benchmark's {@code license-batch.report-heap}) */
    public SummaryTasklet(RunReport report, SessionTuning selection, boolean reportHeap) {
        this.report = report;
        this.selection = selection;
        this.reportHeap = reportHeap;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        // The counts scan every outcome of the run: in the step's transaction, they may use parallel workers.
        selection.allowParallelQueryInThisTransaction();
        JobExecution execution = contribution.getStepExecution().getJobExecution();
        List<OutcomeCount> counts = report.counts(execution);
        // For the launcher's exit code (FAILED or REJECTED learners), without counting every outcome again.
        execution.getExecutionContext().putLong(FAILED, counts.stream()
                .filter(count -> count.status() == OutcomeStatus.FAILED).mapToLong(OutcomeCount::count).sum());
        execution.getExecutionContext().putLong(REJECTED, counts.stream()
                .filter(count -> count.status() == OutcomeStatus.REJECTED).mapToLong(OutcomeCount::count).sum());
        LoggingEventBuilder event = log.atInfo();
        report.fields(execution, "COMPLETED", counts).forEach(event::addKeyValue);
        event.log("Summary\n{}{}", report.summary(execution, "COMPLETED", counts).stripTrailing(),
                reportHeap ? "\n  " + HeapWatch.summary() : "");
        return RepeatStatus.FINISHED;
    }
}
