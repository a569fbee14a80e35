package io.licensebatch.cli;

import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.RunReport;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestFactory;
import io.licensebatch.selection.RequestKind;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retry-failed} and {@code undo}: a new run over what another run left or changed. */
abstract class FollowUpCommand extends JobCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The run to follow up (see `status`)")
    long executionId;

    @Option(names = "--dry-run", description = "Record what would happen; change nothing")
    boolean dryRun;

    abstract RequestKind kind();

    abstract String jobName();

    /** Checks the source run; throws when it cannot be followed up. */
    abstract void check(JobExecution source, AppContext app);

    /** How many learners the follow-up would look at. */
    abstract long learners(JobExecution source, AppContext app);

    @Override
    int run(AppContext app) {
        JobRunner runner = app.bean(JobRunner.class);
        JobExecution source = runner.find(executionId);
        if (JobParameterNames.flag(source.getJobParameters(), JobParameterNames.DRY_RUN)) {
            throw new UsageException("execution " + executionId + " was a dry run: it changed nothing");
        }
        check(source, app);
        long learners = learners(source, app);
        if (learners == 0) {
            out().printf("Nothing to do: execution %d has no learners for %s.%n", executionId, kind() == RequestKind.UNDO
                    ? "undo to put back" : "retry-failed to pick up (no FAILED, NO_SEATS or CHANGED_CONCURRENTLY)");
            out().flush();
            return ExitCodes.COMPLETED;
        }
        Long orgId = app.bean(RunReport.class).requestOf(source).map(ChangeRequest::orgId).orElse(null);
        ChangeRequest request = app.bean(ChangeRequestFactory.class).followUp(kind(), executionId, orgId, learners,
                dryRun, operator());
        out().printf("Request %d: %s%s%n", request.id(), request.description(), dryRun ? " [dry run]" : "");
        out().flush();
        JobExecution execution = runner.run(app.bean(jobName(), Job.class), new JobParametersBuilder()
                .addLong(JobParameterNames.REQUEST, request.id())
                .addJobParameter(JobParameterNames.DRY_RUN, dryRun, Boolean.class)
                .toJobParameters());
        return finish(execution);
    }
}
