package io.licensebatch.job.common;

import io.licensebatch.jvm.HeapWatch;
import io.licensebatch.db.SessionTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** Every job's last step: prints the run's summary (see {@link RunReport}). */
public class SummaryTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger("license-batch");

    private final RunReport report;
    private final SessionTuning selection;

    public SummaryTasklet(RunReport report, SessionTuning selection) {
        this.report = report;
        this.selection = selection;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        // The counts scan every outcome of the run: in the step's transaction, they may use parallel workers.
        selection.allowParallelQueryInThisTransaction();
        log.info("Summary\n{}  {}", report.summary(contribution.getStepExecution().getJobExecution(), "COMPLETED"),
                HeapWatch.summary());
        return RepeatStatus.FINISHED;
    }
}
