package io.licensebatch.job.common;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.license.SeatPoolGateway.PoolSnapshot;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCounts;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The summary of a run that a person reads: what was asked, counts per status and reason, seats before
 * and after per pool, duration and rate. Printed by each job's last step and by {@code status}.
 */
@Component
public class RunReport {

    private final OutcomeGateway outcomes;
    private final SeatPoolGateway pools;
    private final SelectionCounts selection;
    private final ChangeRequestGateway requests;
    private final OrganizationGateway organizations;

    public RunReport(OutcomeGateway outcomes, SeatPoolGateway pools, SelectionCounts selection,
            ChangeRequestGateway requests, OrganizationGateway organizations) {
        this.outcomes = outcomes;
        this.pools = pools;
        this.selection = selection;
        this.requests = requests;
        this.organizations = organizations;
    }

    public Optional<ChangeRequest> requestOf(JobExecution execution) {
        Long requestId = execution.getJobParameters().getLong(JobParameterNames.REQUEST);
        return requestId == null ? Optional.empty() : requests.find(requestId);
    }

    /** One line: which request, in words. */
    public String describe(JobExecution execution) {
        return requestOf(execution)
                .map(request -> "request " + request.id() + ": " + request.description()
                        + (request.dryRun() ? " [dry run]" : ""))
                .orElse(execution.getJobParameters().toString());
    }

    /** The summary, with the run's state in words (the last step says COMPLETED before the job is). */
    public String summary(JobExecution execution, String state) {
        long instanceId = execution.getJobInstanceId();
        boolean dryRun = requestOf(execution).map(ChangeRequest::dryRun).orElse(false);
        LocalDateTime start = execution.getStartTime() == null ? execution.getCreateTime() : execution.getStartTime();
        LocalDateTime end = execution.getEndTime() == null ? LocalDateTime.now() : execution.getEndTime();
        Duration elapsed = Duration.between(start, end);
        List<OutcomeCount> counts = outcomes.countByStatusAndReason(instanceId);
        long selected = selection.taken(instanceId).orElseGet(() -> selection.count(instanceId));
        long done = counts.stream().mapToLong(OutcomeCount::count).sum();
        long byThisExecution = execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith("applyPartition"))
                .mapToLong(step -> step.getWriteCount())
                .sum();

        StringBuilder text = new StringBuilder();
        text.append(String.format("%s execution %d (instance %d): %s in %s%n",
                execution.getJobInstance().getJobName(), execution.getId(), instanceId, state,
                Numbers.duration(elapsed)));
        text.append("  ").append(describe(execution)).append('\n');
        text.append(String.format("  %s selected, %s with an outcome (%s); this execution: %s at %s%n",
                Numbers.count(selected), Numbers.count(done), Numbers.percent(done, selected),
                Numbers.count(byThisExecution), Numbers.rate(byThisExecution, elapsed)));


        if (!counts.isEmpty()) {
            TextTable table = new TextTable("outcome", "learners");
            counts.forEach(count -> table.row(count.label(), Numbers.count(count.count())));
            text.append('\n').append(table.render("  "));
        }
        List<PoolSnapshot> seats = pools.snapshotOf(instanceId);
        if (!seats.isEmpty()) {
            Map<Long, String> orgNames = new HashMap<>();
            TextTable table = new TextTable("seat pool", "before (used of total)",
                    dryRun ? "after, simulated" : "now");
            for (PoolSnapshot pool : seats) {
                int usedAfter = dryRun ? pool.simulatedUsed() : pool.currentUsed();
                int totalAfter = dryRun ? pool.simulatedTotal() : pool.currentTotal();
                boolean moved = usedAfter != pool.usedBefore() || totalAfter != pool.totalBefore();
                if (!moved && seats.size() > 8) {
                    continue;
                }
                String org = orgNames.computeIfAbsent(pool.key().orgId(), id -> organizations.findById(id)
                        .map(Organization::name).orElse("org " + id));
                table.row(org + " / " + pool.key().licenseType(), seatsText(pool.usedBefore(), pool.totalBefore()),
                        seatsText(usedAfter, totalAfter));
            }
            text.append('\n').append(table.render("  "));
        }
        return text.toString();
    }

    private static String seatsText(int used, int total) {
        return Numbers.count(used) + " of " + Numbers.count(total);
    }
}
