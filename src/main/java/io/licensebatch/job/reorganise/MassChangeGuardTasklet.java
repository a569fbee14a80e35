package io.licensebatch.job.reorganise;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.selection.SeatImpact;
import io.licensebatch.selection.SelectionGateway;
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
 * Stops a night that would change too much before anything changes: more than a share of an org's
 * learners, or more revokes than a limit. A typo in a rules file must not strip a company's licenses
 * overnight. The step ends with exit status {@value #BLOCKED} (the job then fails, changing nothing, and the
 * report is the step's exit description) unless the run was started with --confirm-large-change; it runs
 * again on every start, so a confirmed restart of the same night passes. A night that has applied learners
 * already passed the guard on an earlier start: resuming it (say, after a crash, by the next cron start
 * without the flag) is not stopped halfway. A dry run is only warned: it changes nothing anyway, and shows
 * what the night would do.
 */
public class MassChangeGuardTasklet implements Tasklet {

    static final String BLOCKED = "BLOCKED";

    private static final Logger log = LoggerFactory.getLogger("license-batch");

    private final SelectionGateway selection;
    private final OutcomeGateway outcomes;
    private final LearnerGateway learners;
    private final OrganizationGateway organizations;
    private final double maxShare;
    private final int maxRevokes;

    MassChangeGuardTasklet(SelectionGateway selection, OutcomeGateway outcomes, LearnerGateway learners,
            OrganizationGateway organizations, double maxShare, int maxRevokes) {
        this.selection = selection;
        this.outcomes = outcomes;
        this.learners = learners;
        this.organizations = organizations;
        this.maxShare = maxShare;
        this.maxRevokes = maxRevokes;
    }

    /** The guard's report, when it stopped this execution of a night. */
    public static Optional<String> blockedReport(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getExitStatus().getExitCode().equals(BLOCKED))
                .map(step -> step.getExitStatus().getExitDescription()).findFirst();
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = contribution.getStepExecution().getJobExecution().getJobInstanceId();
        boolean confirmed = JobParameterNames.flag(contribution.getStepExecution().getJobParameters(),
                JobParameterNames.CONFIRM_LARGE_CHANGE);
        long applied = outcomes.count(jobInstanceId);
        if (applied > 0) {
            log.info("mass-change guard: this night passed the guard when it started and has applied {} learners;"
                    + " resuming it", Numbers.count(applied));
            return RepeatStatus.FINISHED;
        }
        Map<Long, Map<String, Long>> byOrg = new TreeMap<>();
        for (SeatImpact.Flow flow : selection.seatFlows(jobInstanceId)) {
            String to = flow.action() == Action.REVOKE ? "REVOKE" : "to " + flow.targetType();
            byOrg.computeIfAbsent(flow.orgId(), id -> new TreeMap<>()).merge(to, flow.learners(), Long::sum);
        }
        StringBuilder report = new StringBuilder();
        for (Map.Entry<Long, Map<String, Long>> org : byOrg.entrySet()) {
            long changes = org.getValue().values().stream().mapToLong(Long::longValue).sum();
            long revokes = org.getValue().getOrDefault("REVOKE", 0L);
            long size = learners.countInOrg(org.getKey());
            double share = size == 0 ? 0 : (double) changes / size;
            if (share > maxShare || revokes > maxRevokes) {
                String name = organizations.findById(org.getKey()).map(Organization::toString).orElse("org " + org.getKey());
                report.append(String.format(Locale.ROOT, "%s: %s of %s learners (%.1f%%, limit %.1f%%), %s revoke(s)"
                        + " (limit %d)%n", name, Numbers.count(changes), Numbers.count(size), 100 * share,
                        100 * maxShare, Numbers.count(revokes), maxRevokes));
                TextTable table = new TextTable("would change", "learners");
                org.getValue().forEach((to, count) -> table.row(to, Numbers.count(count)));
                report.append(table.render("  "));
            }
        }
        if (report.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        if (confirmed) {
            log.warn("mass-change guard: a large change, confirmed with --confirm-large-change:\n{}", report);
            return RepeatStatus.FINISHED;
        }
        if (JobParameterNames.flag(contribution.getStepExecution().getJobParameters(), JobParameterNames.DRY_RUN)) {
            log.warn("mass-change guard: a real run of this night would stop here without --confirm-large-change:\n{}",
                    report);
            return RepeatStatus.FINISHED;
        }
        log.warn("mass-change guard: this night would change more than the limits allow; nothing was changed");
        contribution.setExitStatus(new ExitStatus(BLOCKED, report.toString()));
        return RepeatStatus.FINISHED;
    }
}
