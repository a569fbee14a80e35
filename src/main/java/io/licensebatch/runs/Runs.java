package io.licensebatch.runs;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.license.SeatPoolGateway.PoolSnapshot;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.job.common.ExecutionOwnership;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.MassChangeGuard;
import io.licensebatch.launch.Executions.State;
import io.licensebatch.remote.PartitionWorkers;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.request.RequestKind;
import io.licensebatch.runs.RunDetail.NextStep;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs an operator asks about: the list ({@link RunHistory}) and one run in full, with next steps that can
 * work. A next step is offered only where the command it names would accept it: no retry-failed or undo of a
 * dry run, no apply of a plan already applied or too old, and the restart of an instance named by its latest
 * execution.
 */
@Component
public class Runs {

    private final RunHistory history;
    private final JobRunner runner;
    private final JobRepository jobRepository;
    private final OutcomeGateway outcomes;
    private final SeatPoolGateway pools;
    private final ExecutionOwnership ownership;
    private final ChangeRequestGateway requests;
    private final LicenseBatchProperties properties;
    private final OrganizationGateway organizations;
    private final PartitionWorkers workers;

    public Runs(RunHistory history, JobRunner runner, JobRepository jobRepository, OutcomeGateway outcomes,
            SeatPoolGateway pools, ExecutionOwnership ownership, ChangeRequestGateway requests,
            LicenseBatchProperties properties, OrganizationGateway organizations, PartitionWorkers workers) {
        this.organizations = organizations;
        this.workers = workers;
        this.history = history;
        this.runner = runner;
        this.jobRepository = jobRepository;
        this.outcomes = outcomes;
        this.pools = pools;
        this.ownership = ownership;
        this.requests = requests;
        this.properties = properties;
    }

    public List<Run> list(RunFilter filter) {
        return history.list(filter);
    }

    /** One run in full; refused (exit 2) when there is no such execution. */
    public RunDetail detail(long executionId) {
        JobExecution execution = runner.find(executionId);
        Run run = history.find(executionId).orElseThrow();
        JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
        long lastId = last == null ? executionId : last.getId();
        List<OutcomeCount> counts = outcomes.countByStatusAndReason(run.instance());
        Optional<String> blocked = MassChangeGuard.blockedReport(execution);
        // A run whose partitions workers took is resumed with workers: a plain restart would run them locally.
        boolean remote = workers.tookAny(executionId);
        Optional<FailureCause> cause = run.state() == State.FAILED ? FailureCause.of(execution, remote)
                : Optional.empty();
        Optional<String> owner = run.state() == State.RUNNING || run.state() == State.DEAD
                ? ownership.ownerOf(executionId) : Optional.empty();
        List<NextStep> next = lastId == executionId ? next(run, counts, cause, last, remote)
                : List.of(NextStep.of("license-batch status " + lastId, "execution " + executionId + " was followed by"
                        + " execution " + lastId + " of the same run; what can be done next is done from that one"));
        List<PoolSnapshot> seats = pools.snapshotOf(run.instance());
        Map<Long, String> orgNames = organizations.namesOf(seats.stream().map(pool -> pool.key().orgId()).toList());
        return new RunDetail(run, counts, seats, orgNames, cause, blocked, owner, lastId, next);
    }

    private List<NextStep> next(Run run, List<OutcomeCount> counts, Optional<FailureCause> cause, JobExecution last,
            boolean remote) {
        long id = run.execution();
        String restart = FailureCause.restart(id, remote);
        List<NextStep> next = new ArrayList<>();
        switch (run.state()) {
            case RUNNING -> next.add(NextStep.of("license-batch stop " + id, "stops it at the next chunk boundary"));
            case DEAD -> next.add(NextStep.of(restart,
                    "the process that ran it is gone; a restart recovers the execution and resumes it"));
            case BLOCKED -> next.add(NextStep.of(restart + " --confirm-large-change",
                    "the mass-change guard stopped it before it changed anything; let it through only if the change"
                            + " is intended"));
            case STOPPED -> next.add(NextStep.of(restart, "resumes from the last checkpoint"));
            case FAILED -> next.add(cause.map(c -> NextStep.of(c.command(), c.why()))
                    .orElse(NextStep.of(restart, "resumes from the last checkpoint")));
            case ABANDONED -> next.add(NextStep.of("license-batch status", "an abandoned run is not restarted: start"
                    + " the change again as a new request"));
            case COMPLETED -> completed(run, counts, last, next);
        }
        return next;
    }

    private void completed(Run run, List<OutcomeCount> counts, JobExecution last, List<NextStep> next) {
        long id = run.execution();
        next.add(NextStep.of("license-batch report " + id, "every outcome, as CSV"));
        if (run.dryRun()) {
            if (run.request().kind() == RequestKind.PLAN) {
                return;
            }
            Optional<Long> applied = requests.applicationOf(id);
            Duration age = Duration.between(last.getEndTime(), LocalDateTime.now());
            if (applied.isPresent()) {
                next.add(NextStep.of("license-batch status", "this plan was applied already, by request "
                        + applied.get() + "; a new dry run makes a new plan"));
            } else if (age.compareTo(properties.planMaxAge()) > 0) {
                next.add(NextStep.of("a new dry run", "this plan is older than license-batch.plan-max-age ("
                        + properties.planMaxAge().toHours() + " hours): the learners it saw may have changed"));
            } else {
                next.add(NextStep.of("license-batch apply " + id, "carries the plan out: exactly the changes it"
                        + " shows"));
            }
            return;
        }
        boolean retryable = counts.stream().anyMatch(count -> count.status() == OutcomeStatus.FAILED
                || (count.reason() != null && count.reason().isRetryable()));
        boolean changed = counts.stream().anyMatch(count -> count.status() == OutcomeStatus.REASSIGNED
                || count.status() == OutcomeStatus.REVOKED);
        if (retryable) {
            next.add(NextStep.of("license-batch retry-failed " + id, "a new run over its FAILED, NO_SEATS and"
                    + " CHANGED_CONCURRENTLY learners (see them: license-batch report " + id + " --failed-only)"));
        }
        if (changed) {
            next.add(NextStep.of("license-batch undo " + id, "puts back what it changed, where nothing changed"
                    + " since"));
        }
    }
}
