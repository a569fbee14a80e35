package io.licensebatch.support;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.launch.Launch;
import io.licensebatch.launch.LaunchService;
import io.licensebatch.request.ChangeOrder;
import io.licensebatch.request.RequestKind;
import io.licensebatch.request.SelectionSpec;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs license-batch's jobs in a test's application context through the launch service, as every command does.
 * The test is an operator who knows what they change: its runs are confirmed past the mass-change guard (the
 * guard's own tests say otherwise).
 */
@Component
public class Jobs {

    public static final String OPERATOR = "test";

    private final LaunchService launches;
    private final JdbcTemplate jdbc;

    public Jobs(LaunchService launches, JdbcTemplate jdbc) {
        this.launches = launches;
        this.jdbc = jdbc;
    }

    public JobExecution reassign(TestAccounts.Account account, String target, Select select) {
        return change(account, Action.REASSIGN, target, select, false);
    }

    public JobExecution revoke(TestAccounts.Account account, Select select) {
        return change(account, Action.REVOKE, null, select, false);
    }

    public JobExecution change(TestAccounts.Account account, Action action, String target, Select select,
            boolean dryRun) {
        return launch(new ChangeOrder.Change(String.valueOf(account.id), action, target, select.spec(),
                confirmed(dryRun))).execution();
    }

    /** An upload of the file, for the org. */
    public JobExecution upload(long orgId, Action action, String defaultTarget, Path file, boolean dryRun) {
        SelectionSpec spec = new SelectionSpec(List.of(), file.toString(), List.of(), List.of(), List.of(), List.of(),
                List.of(), null, null, List.of());
        return launch(new ChangeOrder.Change(String.valueOf(orgId), action, defaultTarget, spec, confirmed(dryRun)))
                .execution();
    }

    /** {@code retry-failed}: a new run over the source run's FAILED and retryable learners. */
    public JobExecution retryFailed(JobExecution source) {
        return launch(new ChangeOrder.FollowUp(RequestKind.RETRY_FAILED, source.getId(), confirmed(false)))
                .execution();
    }

    /** {@code undo}: a new run that puts back what the source run changed. */
    public JobExecution undo(JobExecution source) {
        return launch(new ChangeOrder.FollowUp(RequestKind.UNDO, source.getId(), confirmed(false))).execution();
    }

    /** {@code apply}: the plan (a dry run) carried out exactly. */
    public Launch apply(JobExecution plan) {
        return launch(new ChangeOrder.ApplyPlan(plan.getId(), ChangeOrder.How.of(false, OPERATOR)));
    }

    public Launch launch(ChangeOrder order) {
        return launches.submit(order, request -> { });
    }

    public JobExecution restart(JobExecution execution) {
        return launches.restart(execution.getId(), false, OPERATOR).execution();
    }

    /** Each learner's outcome in the execution's job instance, as "STATUS" or "STATUS REASON". */
    public Map<Long, String> outcomesByLearner(JobExecution execution) {
        Map<Long, String> outcomes = new HashMap<>();
        jdbc.query("select learner_id, status, reason from license_change_outcome where job_instance_id = ?", rs -> {
            String reason = rs.getString("reason");
            outcomes.put(rs.getLong("learner_id"), rs.getString("status") + (reason == null ? "" : " " + reason));
        }, execution.getJobInstanceId());
        return outcomes;
    }

    /** The learner's current license type, or null. */
    public String currentType(long learnerId) {
        return jdbc.queryForList("select license_type from license_assignment where learner_id = ? and ended_at is null",
                String.class, learnerId).stream().findFirst().orElse(null);
    }

    private static ChangeOrder.How confirmed(boolean dryRun) {
        return new ChangeOrder.How(dryRun, null, false, true, List.of(), true, OPERATOR);
    }
}
