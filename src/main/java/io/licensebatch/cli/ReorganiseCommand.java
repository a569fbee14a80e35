package io.licensebatch.cli;

import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.job.common.AlreadyRunningException;
import io.licensebatch.job.common.ExecutionOwnership;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.reorganise.MassChangeGuardTasklet;
import io.licensebatch.job.reorganise.RulesFile;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Collectors;

@Command(name = "reorganise", aliases = "reorganize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The nightly run: move every learner whose license drifted from their organization's rules",
                "(first matching rule wins; format: jobs/README.md). One run per rules file and night: starting the",
                "same night again resumes it or does nothing. A night that would change more than",
                "license-batch.guard-max-share of an org (10%) or revoke more than guard-max-revokes (100) stops",
                "before changing anything, unless confirmed."},
        footer = {"", "Example (cron, 02:30 every night):",
                "  30 2 * * *  license-batch reorganise --rules jobs/rules/nightly.yaml"})
class ReorganiseCommand extends JobCommand {

    @Option(names = "--rules", required = true, paramLabel = "FILE.yaml", description = "The rules file")
    Path rules;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The night to run (default: today)")
    LocalDate date;

    @Option(names = "--org", paramLabel = "ORG", description = "Only this organization of the rules file")
    String org;

    @Option(names = "--confirm-large-change", description = "Let a mass change through the guard")
    boolean confirm;

    @Option(names = "--dry-run", description = "Record what would happen; change nothing")
    boolean dryRun;

    @Override
    int run(AppContext app) {
        OrganizationGateway organizations = app.bean(OrganizationGateway.class);
        RulesFile file = RulesFile.load(rules, app.bean(LicenseTypeGateway.class).catalog(), organizations::find);
        LocalDate date = this.date == null ? LocalDate.now() : this.date;
        Long orgId = null;
        if (org != null) {
            Organization only = app.bean(ChangeRequestFactory.class).organization(org);
            if (file.forOrganization(only.id()).isEmpty()) {
                throw new UsageException("--org: " + rules + " has no rules for " + only);
            }
            orgId = only.id();
        }
        refuseWhileAnotherNightRuns(app, orgId);
        String scope = orgId == null ? file.organizations().stream().map(rulesOf -> rulesOf.organization().name())
                .collect(Collectors.joining(", ")) : organizations.findById(orgId).orElseThrow().name();
        String night = "reorganise|" + file.file() + "|" + file.sha256() + "|" + date + "|"
                + (orgId == null ? "all" : orgId) + "|" + (dryRun ? "dry-run" : "run");
        ChangeRequest request = app.bean(ChangeRequestFactory.class).reorganise(orgId, RulesFile.sha256(night
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "reorganise " + scope + " by " + file.file()
                + " for " + date, dryRun, operator());
        out().printf("Request %d: %s%s%n", request.id(), request.description(), dryRun ? " [dry run]" : "");
        out().flush();
        JobParameters parameters = new JobParametersBuilder()
                .addLong(JobParameterNames.REQUEST, request.id())
                .addString(JobParameterNames.RULES, file.file().toString(), false)
                .addString(JobParameterNames.RULES_SHA256, file.sha256(), false)
                .addLocalDate(JobParameterNames.DATE, date, false)
                .addLong(JobParameterNames.ORG, orgId == null ? 0L : orgId, false)
                .addJobParameter(JobParameterNames.DRY_RUN, dryRun, Boolean.class, false)
                .addJobParameter(JobParameterNames.CONFIRM_LARGE_CHANGE, confirm, Boolean.class, false)
                .toJobParameters();
        JobExecution execution = app.bean(JobRunner.class).run(app.bean("reorganiseJob", Job.class), parameters);
        Optional<String> blocked = MassChangeGuardTasklet.blockedReport(execution);
        if (blocked.isPresent() && execution.getStatus() == BatchStatus.FAILED) {
            out().printf("Execution %d stopped by the mass-change guard. Nothing was changed.%n%s"
                    + "If the change is intended: license-batch reorganise --rules %s --date %s%s"
                    + " --confirm-large-change%n", execution.getId(), blocked.get(), rules, date,
                    org == null ? "" : " --org \"" + org + "\"");
            out().flush();
            return ExitCodes.FAILED;
        }
        return finish(execution);
    }

    /** A night must not start while another night of the same orgs is still running somewhere. */
    private static void refuseWhileAnotherNightRuns(AppContext app, Long orgId) {
        JobRunner runner = app.bean(JobRunner.class);
        for (JobExecution running : app.bean(JobRepository.class).findRunningJobExecutions("reorganise")) {
            Long runningOrg = running.getJobParameters().getLong(JobParameterNames.ORG);
            boolean overlaps = orgId == null || runningOrg == null || runningOrg == 0 || runningOrg.equals(orgId);
            if (overlaps && runner.isAlive(running)) {
                String owner = app.bean(ExecutionOwnership.class).ownerOf(running.getId()).orElse("another process");
                throw new AlreadyRunningException("the reorganisation of "
                        + running.getJobParameters().getLocalDate(JobParameterNames.DATE) + " (execution "
                        + running.getId() + ") is still running in " + owner + "; not starting another night on top"
                        + " of it. `license-batch status " + running.getId() + "` shows how far it is.");
            }
        }
    }
}
