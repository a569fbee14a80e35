package io.licensebatch.launch;

import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.job.common.AlreadyRunningException;
import io.licensebatch.job.common.ExecutionOwnership;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.job.common.SummaryTasklet;
import io.licensebatch.metrics.RunMetrics;
import io.licensebatch.request.ChangeOrder;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.request.InvalidRequestException;
import io.licensebatch.request.RequestKind;
import io.licensebatch.selection.SelectionCounts;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.Consumer;

/**
 * The one way in for every change, whatever asks for it (a command, a job spec, a test): an order is resolved
 * and stored as a request ({@link RequestResolver}), and its job runs it through the same steps, select, the
 * mass-change guard, apply, summary. The job parameters are built here and nowhere else, and name the request
 * only; the job is found by the request's kind, never by a name.
 */
@Component
public class LaunchService {

    private final RequestResolver resolver;
    private final ChangeRequestGateway requests;
    private final JobRunner runner;
    private final LicenseJobs jobs;
    private final Executions executions;
    private final OutcomeGateway outcomes;
    private final SelectionCounts selection;
    private final JobRepository jobRepository;
    private final ExecutionOwnership ownership;
    private final RunMetrics metrics;

    public LaunchService(RequestResolver resolver, ChangeRequestGateway requests, JobRunner runner, LicenseJobs jobs,
            Executions executions, OutcomeGateway outcomes, SelectionCounts selection, JobRepository jobRepository,
            ExecutionOwnership ownership, RunMetrics metrics) {
        this.metrics = metrics;
        this.resolver = resolver;
        this.requests = requests;
        this.runner = runner;
        this.jobs = jobs;
        this.executions = executions;
        this.outcomes = outcomes;
        this.selection = selection;
        this.jobRepository = jobRepository;
        this.ownership = ownership;
    }

    /**
     * Resolves the order, stores it as a request (handed to {@code accepted} before anything runs) and runs it to
     * its end in this thread.
     */
    public Launch submit(ChangeOrder order, Consumer<ChangeRequest> accepted) {
        if (order instanceof ChangeOrder.FollowUp followUp) {
            String nothing = nothingToFollowUp(followUp);
            if (nothing != null) {
                return Launch.nothingToDo(nothing);
            }
        }
        ChangeRequest request = resolver.resolve(order);
        if (request.kind() == RequestKind.REORGANISE) {
            refuseWhileAnotherNightRuns(request);
        }
        if (order.how().confirmLargeChange() || request.kind() == RequestKind.PLAN) {
            requests.confirm(request.id(), order.how().requestedBy());
        }
        accepted.accept(request);
        return ending(request, runner.run(jobs.jobFor(request.kind()), parameters(request)));
    }

    /** Resumes the run of the given execution from its last checkpoint; a confirmation lets it past the guard. */
    public Launch restart(long executionId, boolean confirmLargeChange, String requestedBy) {
        JobExecution execution = executions.find(executionId);
        ChangeRequest request = executions.requestOf(execution).orElseThrow(() -> new InvalidRequestException(
                "execution " + executionId + " carries no request of license-batch's: it cannot be restarted here"));
        Executions.Source source = executions.source(executionId);
        if (source.completed()) {
            return new Launch(request, source.last(), Launch.Ending.COMPLETED, "Execution " + source.last().getId()
                    + " has completed: nothing to restart. `license-batch retry-failed " + source.last().getId()
                    + "` re-runs its failed learners; `license-batch status " + source.last().getId() + "` shows it.");
        }
        if (confirmLargeChange) {
            requests.confirm(request.id(), requestedBy);
        }
        return ending(request, runner.restart(executionId));
    }

    /** How many learners a blocked run would change, for the question an operator is asked. */
    public long changes(JobExecution execution) {
        return selection.seatFlows(execution.getJobInstanceId()).stream()
                .filter(flow -> flow.action() == io.licensebatch.domain.assignment.Action.REVOKE
                        ? flow.fromType() != null : !flow.targetType().equals(flow.fromType()))
                .mapToLong(io.licensebatch.selection.SeatImpact.Flow::learners).sum();
    }

    /** The job parameters of a request's job instance: the request, and nothing else. */
    static JobParameters parameters(ChangeRequest request) {
        return new JobParametersBuilder().addLong(JobParameterNames.REQUEST, request.id()).toJobParameters();
    }

    private Launch ending(ChangeRequest request, JobExecution execution) {
        Launch launch = launch(request, execution);
        metrics.push(launch);
        return launch;
    }

    private Launch launch(ChangeRequest request, JobExecution execution) {
        BatchStatus status = execution.getStatus();
        if (status == BatchStatus.COMPLETED) {
            ExecutionContext summary = execution.getExecutionContext();
            boolean counted = summary.containsKey(SummaryTasklet.FAILED);
            List<OutcomeCount> counts = counted ? List.of()
                    : outcomes.countByStatusAndReason(execution.getJobInstanceId());
            if (counted ? summary.getLong(SummaryTasklet.FAILED) > 0
                    : counts.stream().anyMatch(count -> count.status() == OutcomeStatus.FAILED)) {
                return new Launch(request, execution, Launch.Ending.COMPLETED_WITH_FAILURES, null);
            }
            if (request.options().failOnRejections() && (counted ? summary.getLong(SummaryTasklet.REJECTED) > 0
                    : counts.stream().anyMatch(count -> count.status() == OutcomeStatus.REJECTED))) {
                return new Launch(request, execution, Launch.Ending.COMPLETED_WITH_REJECTIONS, null);
            }
            return new Launch(request, execution, Launch.Ending.COMPLETED, null);
        }
        Executions.State state = executions.state(execution);
        Launch.Ending ending = state == Executions.State.BLOCKED ? Launch.Ending.BLOCKED
                : state == Executions.State.STOPPED ? Launch.Ending.STOPPED : Launch.Ending.FAILED;
        return new Launch(request, execution, ending, null);
    }

    /** Why a follow-up would have nothing to do (no learner to retry or put back); null when it has. */
    private String nothingToFollowUp(ChangeOrder.FollowUp order) {
        Executions.Source source = executions.source(order.sourceExecutionId());
        if (source.request().map(ChangeRequest::dryRun).orElse(false)) {
            return null; // refused by the resolver, with its reason
        }
        long instance = source.named().getJobInstanceId();
        long learners = order.kind() == RequestKind.UNDO ? selection.countChanged(instance)
                : selection.countRetryable(instance);
        if (learners > 0) {
            return null;
        }
        return "Nothing to do: execution " + order.sourceExecutionId() + " has no learners for "
                + (order.kind() == RequestKind.UNDO ? "undo to put back"
                        : "retry-failed to pick up (no FAILED, NO_SEATS or CHANGED_CONCURRENTLY)") + ".";
    }

    /** A night must not start while another night of the same orgs is still running somewhere. */
    private void refuseWhileAnotherNightRuns(ChangeRequest night) {
        String jobName = jobs.jobFor(RequestKind.REORGANISE).getName();
        for (JobExecution running : jobRepository.findRunningJobExecutions(jobName)) {
            ChangeRequest other = executions.requestOf(running).orElse(null);
            if (other == null || other.id() == night.id()) {
                continue;
            }
            boolean overlaps = night.orgId() == null || other.orgId() == null || other.orgId().equals(night.orgId());
            if (overlaps && runner.isAlive(running)) {
                String owner = ownership.ownerOf(running.getId()).orElse("another process");
                throw new AlreadyRunningException("the reorganisation of "
                        + other.selection(ChangeRequest.Night.class).date() + " (execution " + running.getId()
                        + ") is still running in " + owner + "; not starting another night on top of it."
                        + " `license-batch status " + running.getId() + "` shows how far it is.");
            }
        }
    }
}
