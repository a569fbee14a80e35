package io.licensebatch.job.undo;

import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The selection of an undo: every learner the source run reassigned or revoked goes back to the license
 * type they had before it (or to no license); a learner who is no longer on what that run gave them is
 * {@code REJECTED CHANGED_SINCE} and left alone. An undo is a run like any other: it can be restarted,
 * retried and undone in turn.
 */
class SelectUndoTasklet extends SelectionTasklet {

    private final ChangeRequestGateway requests;
    private final SelectionGateway selection;
    private final JobRepository jobRepository;

    SelectUndoTasklet(ChangeRequestGateway requests, SelectionGateway selection, SelectionCompletion completion,
            JobRepository jobRepository) {
        super(completion);
        this.requests = requests;
        this.selection = selection;
        this.jobRepository = jobRepository;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        JobExecution source = jobRepository.getJobExecution(request(requests, parameters).sourceExecutionId());
        int selected = selection.insertUndo(jobInstanceId, source.getJobInstanceId(), source.getId(),
                "undo of execution " + source.getId());
        return new Selected(selected, selection.orgIds(jobInstanceId));
    }
}
