package io.licensebatch.job.common;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SeatImpact;
import io.licensebatch.selection.SelectionCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Stops a run that would change too much before anything changes, whatever job it is: more than
 * {@code guard-max-share} of an org's learners (once more than {@code guard-min-changes} of them change), or more
 * revokes than {@code guard-max-revokes}. A typo in a filter or a rules file must not strip a company's licenses.
 *
 * <p>Blocked, the step ends with exit status {@value #BLOCKED} and the plan as its description (per org: how
 * many learners, which targets, the seats), and the job stops there, STOPPED with nothing changed (exit code 4).
 * It goes past the guard once someone confirmed the request (--confirm-large-change, a "y", or the apply of a
 * reviewed plan, which confirms itself); the step runs on every start, so a restart after a confirmation
 * passes. A run that has applied learners already passed the guard when it started: resuming it is not stopped
 * halfway. A dry run is never blocked: it is the plan, and says what a real run would meet.
 */
public class MassChangeGuard implements Tasklet {

    public static final String BLOCKED = "BLOCKED";

    /** How many blocked orgs the report shows (a platform-wide migration may be beyond the limits everywhere). */
    private static final int SHOWN = 20;

    private static final Logger log = LoggerFactory.getLogger(MassChangeGuard.class);

    private final SelectionCounts selection;
    private final OutcomeGateway outcomes;
    private final LearnerGateway learners;
    private final OrganizationGateway organizations;
    private final ChangeRequestGateway requests;
    private final LicenseBatchProperties properties;

    public MassChangeGuard(SelectionCounts selection, OutcomeGateway outcomes, LearnerGateway learners,
            OrganizationGateway organizations, ChangeRequestGateway requests, LicenseBatchProperties properties) {
        this.selection = selection;
        this.outcomes = outcomes;
        this.learners = learners;
        this.organizations = organizations;
        this.requests = requests;
        this.properties = properties;
    }

    /** The guard's report, when it stopped this execution. */
    public static Optional<String> blockedReport(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getExitStatus().getExitCode().equals(BLOCKED))
                .map(step -> step.getExitStatus().getExitDescription()).findFirst();
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = contribution.getStepExecution().getJobExecution().getJobInstanceId();
        ChangeRequest request = SelectionTasklet.request(requests, contribution.getStepExecution().getJobParameters());
        long applied = outcomes.count(jobInstanceId);
        if (applied > 0) {
            log.info("mass-change guard: this run passed the guard when it started and has {} with an outcome;"
                    + " resuming it", Numbers.learners(applied));
            return RepeatStatus.FINISHED;
        }
        String report = report(jobInstanceId);
        if (report.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        Optional<String> confirmed = requests.confirmedBy(request.id());
        if (confirmed.isPresent()) {
            log.warn("mass-change guard: a large change, confirmed by {}:\n{}", confirmed.get(), report);
            return RepeatStatus.FINISHED;
        }
        if (request.dryRun()) {
            log.warn("mass-change guard: a real run of this would stop here until confirmed:\n{}", report);
            return RepeatStatus.FINISHED;
        }
        log.warn("mass-change guard: this run would change more than the limits allow; nothing was changed:\n{}",
                report);
        contribution.setExitStatus(new ExitStatus(BLOCKED, report));
        return RepeatStatus.FINISHED;
    }

    /** Per org beyond a limit: what the run would change there; empty when no org is beyond one. */
    String report(long jobInstanceId) {
        Map<Long, Map<String, Long>> byOrg = new TreeMap<>();
        for (SeatImpact.Flow flow : selection.seatFlows(jobInstanceId)) {
            boolean changes = flow.action() == Action.REVOKE ? flow.fromType() != null
                    : !flow.targetType().equals(flow.fromType());
            if (changes) {
                String to = flow.action() == Action.REVOKE ? "REVOKE" : "to " + flow.targetType();
                byOrg.computeIfAbsent(flow.orgId(), id -> new TreeMap<>()).merge(to, flow.learners(), Long::sum);
            }
        }
        if (byOrg.isEmpty()) {
            return "";
        }
        Map<Long, Long> sizes = learners.countInOrgs(byOrg.keySet());
        StringBuilder report = new StringBuilder();
        int blocked = 0;
        for (Map.Entry<Long, Map<String, Long>> org : byOrg.entrySet()) {
            long changes = org.getValue().values().stream().mapToLong(Long::longValue).sum();
            long revokes = org.getValue().getOrDefault("REVOKE", 0L);
            long size = sizes.getOrDefault(org.getKey(), 0L);
            double share = size == 0 ? 0 : (double) changes / size;
            boolean tooMany = changes > properties.guardMinChanges() && share > properties.guardMaxShare();
            if ((tooMany || revokes > properties.guardMaxRevokes()) && ++blocked > SHOWN) {
                continue;
            }
            if (tooMany || revokes > properties.guardMaxRevokes()) {
                String name = organizations.findById(org.getKey()).map(Object::toString).orElse("org " + org.getKey());
                report.append(String.format(Locale.ROOT, "%s: %s of %s learners (%.1f%%, limit %.1f%% once more than"
                        + " %d change), %s revoke(s) (limit %d)%n", name, Numbers.count(changes), Numbers.count(size),
                        100 * share, 100 * properties.guardMaxShare(), properties.guardMinChanges(),
                        Numbers.count(revokes), properties.guardMaxRevokes()));
                TextTable table = new TextTable("would change", "learners");
                org.getValue().forEach((to, count) -> table.row(to, Numbers.count(count)));
                report.append(table.render("  "));
            }
        }
        if (blocked > SHOWN) {
            report.append("... and ").append(Numbers.count(blocked - SHOWN)).append(" more organizations beyond the"
                    + " limits\n");
        }
        return report.toString();
    }
}
