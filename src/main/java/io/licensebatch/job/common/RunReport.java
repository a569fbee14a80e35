package io.licensebatch.job.common;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.license.SeatPoolGateway.PoolSnapshot;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCounts;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
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
    private final JdbcTemplate jdbc;

    public RunReport(OutcomeGateway outcomes, SeatPoolGateway pools, SelectionCounts selection,
            ChangeRequestGateway requests, OrganizationGateway organizations, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.outcomes = outcomes;
        this.pools = pools;
        this.selection = selection;
        this.requests = requests;
        this.organizations = organizations;
    }

    /**
     * Items the apply step's partitions wrote in this execution, as the repository has them: with remote workers
     * the partitions ran in other processes, and this process's copies of them were never updated.
     */
    private long appliedBy(long jobExecutionId) {
        Long written = jdbc.queryForObject(APPLIED_BY, Long.class, jobExecutionId);
        return written == null ? 0 : written;
    }

    private static final String APPLIED_BY = """
            select coalesce(sum(write_count), 0) from batch_step_execution
             where job_execution_id = ? and step_name like 'applyPartition:%'
            """;

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
        return summary(execution, state, outcomes.countByStatusAndReason(execution.getJobInstanceId()));
    }

    /** The run's outcomes per status and reason. */
    public List<OutcomeCount> counts(JobExecution execution) {
        return outcomes.countByStatusAndReason(execution.getJobInstanceId());
    }

    /** The summary, from counts read already (they scan every outcome of the run: read them once). */
    public String summary(JobExecution execution, String state, List<OutcomeCount> counts) {
        long instanceId = execution.getJobInstanceId();
        boolean dryRun = requestOf(execution).map(ChangeRequest::dryRun).orElse(false);
        LocalDateTime start = execution.getStartTime() == null ? execution.getCreateTime() : execution.getStartTime();
        LocalDateTime end = execution.getEndTime() == null ? LocalDateTime.now() : execution.getEndTime();
        Duration elapsed = Duration.between(start, end);
        long selected = selection.taken(instanceId).orElseGet(() -> selection.count(instanceId));
        long done = counts.stream().mapToLong(OutcomeCount::count).sum();
        long byThisExecution = appliedBy(execution.getId());

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
            List<PoolSnapshot> moved = seats.stream().filter(pool -> moved(pool, dryRun)).toList();
            List<PoolSnapshot> shown = (seats.size() <= 8 ? seats : moved).stream().limit(SHOWN_POOLS).toList();
            Map<Long, String> orgNames = organizations.namesOf(shown.stream().map(pool -> pool.key().orgId()).toList());
            TextTable table = new TextTable("seat pool", "before (used of total)",
                    dryRun ? "after, simulated" : "now");
            for (PoolSnapshot pool : shown) {
                String org = orgNames.getOrDefault(pool.key().orgId(), "org " + pool.key().orgId());
                table.row(org + " / " + pool.key().licenseType(), seatsText(pool.usedBefore(), pool.totalBefore()),
                        dryRun ? seatsText(pool.simulatedUsed(), pool.simulatedTotal())
                                : seatsText(pool.currentUsed(), pool.currentTotal()));
            }
            if (!table.isEmpty()) {
                text.append('\n').append(table.render("  "));
            }
            if (shown.size() < moved.size()) {
                text.append(String.format("  ... and %s more pools that moved; every pool: license-batch status %d"
                        + " --json%n", Numbers.count(moved.size() - shown.size()), execution.getId()));
            }
        }
        return text.toString();
    }

    /**
     * The summary as fields, for structured logs: which execution, job and org, the counts, and the learners per
     * outcome ({@code outcomes}: label to count).
     */
    public Map<String, Object> fields(JobExecution execution, String state, List<OutcomeCount> counts) {
        long instanceId = execution.getJobInstanceId();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("execution", execution.getId());
        fields.put("instance", instanceId);
        fields.put("job", execution.getJobInstance().getJobName());
        Optional<ChangeRequest> request = requestOf(execution);
        fields.put("request", request.map(ChangeRequest::id).orElse(null));
        fields.put("org", request.map(ChangeRequest::orgId).orElse(null));
        fields.put("dry_run", request.map(ChangeRequest::dryRun).orElse(false));
        fields.put("state", state);
        fields.put("selected", selection.taken(instanceId).orElseGet(() -> selection.count(instanceId)));
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        long done = 0;
        for (OutcomeCount count : counts) {
            byOutcome.put(count.label().replace(' ', '_'), count.count());
            done += count.count();
        }
        fields.put("done", done);
        fields.put("outcomes", byOutcome);
        LocalDateTime start = execution.getStartTime() == null ? execution.getCreateTime() : execution.getStartTime();
        fields.put("duration_ms", Duration.between(start, LocalDateTime.now()).toMillis());
        return fields;
    }

    /** How many seat pools a summary lists (a platform-wide migration moves seats in thousands). */
    static final int SHOWN_POOLS = 20;

    private static boolean moved(PoolSnapshot pool, boolean dryRun) {
        int used = dryRun ? pool.simulatedUsed() : pool.currentUsed();
        int total = dryRun ? pool.simulatedTotal() : pool.currentTotal();
        return used != pool.usedBefore() || total != pool.totalBefore();
    }

    private static String seatsText(int used, int total) {
        return Numbers.count(used) + " of " + Numbers.count(total);
    }
}
