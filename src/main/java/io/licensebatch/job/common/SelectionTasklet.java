package io.licensebatch.job.common;

import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.util.Collection;

/**
 * The step that takes a job instance's selection snapshot, in one transaction, before anything changes: the
 * subclass inserts the items; this records the selection as complete, with the seat pools as they are, and
 * prints the seat impact. A restart that finds the selection complete does not take it again (the process
 * may have died after the commit and before Spring Batch recorded the step as complete), so a job always
 * works on exactly the set it first selected.
 */
public abstract class SelectionTasklet implements Tasklet {

    private final SelectionCompletion completion;

    protected SelectionTasklet(SelectionCompletion completion) {
        this.completion = completion;
    }

    /**
     * What a selection took: how many items, in which organizations (null: those of its items, as the selection
     * holds them), whether the subclass refreshed the snapshot table's statistics after its last insert
     * already (then completing does not do it again), and whether seats move with the learners (a seat
     * transfer: the seat impact then grows the target pools instead of predicting a shortage).
     */
    public record Selected(long items, Collection<Long> orgIds, boolean analyzed, boolean seatsMoveWithLearners) {

        public Selected(long items, Collection<Long> orgIds, boolean analyzed) {
            this(items, orgIds, analyzed, false);
        }

        public Selected(long items, Collection<Long> orgIds) {
            this(items, orgIds, false);
        }
    }

    /** Inserts the job instance's selection items. */
    protected abstract Selected select(long jobInstanceId, JobParameters parameters);

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = contribution.getStepExecution().getJobExecution().getJobInstanceId();
        if (completion.isComplete(jobInstanceId)) {
            return RepeatStatus.FINISHED;
        }
        Selected selected = select(jobInstanceId, contribution.getStepExecution().getJobParameters());
        contribution.incrementWriteCount(selected.items());
        completion.complete(jobInstanceId, selected.orgIds(), !selected.analyzed(), selected.seatsMoveWithLearners());
        return RepeatStatus.FINISHED;
    }

    /** The request the job carries out (job parameter {@value JobParameterNames#REQUEST}). */
    public static ChangeRequest request(ChangeRequestGateway requests, JobParameters parameters) {
        return requests.get(parameters.getLong(JobParameterNames.REQUEST));
    }
}
