package io.licensebatch.job.followup;

import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The selection of a follow-up, from the outcomes of the run it follows (in one transaction):
 * <ul>
 * <li>a retry: that run's learners with a FAILED outcome or a retryable rejection (NO_SEATS,
 * CHANGED_CONCURRENTLY), with the targets it asked for; their outcomes name the run they retry;</li>
 * <li>an undo: every learner that run reassigned or revoked goes back to the type they had before it (or to no
 * license); one who is no longer on what it gave them is {@code REJECTED CHANGED_SINCE} and left alone;</li>
 * <li>the apply of a plan: the plan's items as they were, with the plan's rejections kept, so that exactly the
 * learners it would have changed can change; one whose license changed since the plan is CHANGED_CONCURRENTLY.</li>
 * </ul>
 */
class SelectFollowUpTasklet extends SelectionTasklet {

    private final ChangeRequestGateway requests;
    private final SelectionSnapshot selection;
    private final JobRepository jobRepository;

    SelectFollowUpTasklet(ChangeRequestGateway requests, SelectionSnapshot selection, SelectionCompletion completion,
            JobRepository jobRepository) {
        super(completion);
        this.requests = requests;
        this.selection = selection;
        this.jobRepository = jobRepository;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        ChangeRequest request = request(requests, parameters);
        long sourceExecutionId = request.selection() instanceof ChangeRequest.Plan plan ? plan.planExecutionId()
                : request.selection(ChangeRequest.FollowUp.class).sourceExecutionId();
        JobExecution source = jobRepository.getJobExecution(sourceExecutionId);
        int selected = switch (request.kind()) {
            case RETRY_FAILED -> selection.insertRetries(jobInstanceId, source.getJobInstanceId(), source.getId());
            case UNDO -> selection.insertUndo(jobInstanceId, source.getJobInstanceId(), source.getId(),
                    "undo of execution " + source.getId());
            case PLAN -> selection.insertPlan(jobInstanceId, source.getJobInstanceId(), source.getId());
            default -> throw new IllegalStateException("request " + request.id() + " is a " + request.kind()
                    + " request, not a follow-up");
        };
        return new Selected(selected, null, false, request.options().transferSeats());
    }
}
