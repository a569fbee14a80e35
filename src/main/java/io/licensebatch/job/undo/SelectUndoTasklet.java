package io.licensebatch.job.undo;

import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The selection of an undo: every learner the source run reassigned or revoked goes back to the license
 * type they had before it (or to no license); a learner who is no longer on what that run gave them is
 * {@code REJECTED CHANGED_SINCE} and left alone. An undo is a run like any other: it can be restarted,
 * retried and undone in turn.
 */
class SelectUndoTasklet implements Tasklet {

    private final ChangeRequestGateway requests;
    private final SelectionGateway selection;
    private final SelectionCompletion completion;
    private final JobRepository jobRepository;

    SelectUndoTasklet(ChangeRequestGateway requests, SelectionGateway selection, SelectionCompletion completion,
            JobRepository jobRepository) {
        this.requests = requests;
        this.selection = selection;
        this.completion = completion;
        this.jobRepository = jobRepository;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = contribution.getStepExecution().getJobExecution().getJobInstanceId();
        if (completion.isComplete(jobInstanceId)) {
            return RepeatStatus.FINISHED;
        }
        long requestId = contribution.getStepExecution().getJobParameters().getLong(JobParameterNames.REQUEST);
        ChangeRequest request = requests.find(requestId)
                .orElseThrow(() -> new IllegalStateException("no change request " + requestId));
        JobExecution source = jobRepository.getJobExecution(request.sourceExecutionId());
        int selected = selection.insertUndo(jobInstanceId, source.getJobInstanceId(), source.getId(),
                "undo of execution " + source.getId());
        contribution.incrementWriteCount(selected);
        completion.complete(jobInstanceId, selection.orgIds(jobInstanceId));
        return RepeatStatus.FINISHED;
    }
}
