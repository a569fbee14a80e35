package io.licensebatch.cli;

import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move everyone off a license type (a product retired and replaced), in one org or across",
                "all of them, partitioned by organization. Deactivated holders move too (their license is",
                "swapped, not given)."},
        footer = {"", "Example:",
                "  license-batch migrate --from LEARNING_CLASSIC --to LEARNING_PRO --all-orgs --transfer-seats"
                        + " --retire-source"})
class MigrateCommand extends JobCommand {

    @Option(names = "--from", required = true, paramLabel = "TYPE", description = "The type everyone leaves")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TYPE", description = "The type they move to")
    String to;

    @Option(names = "--org", paramLabel = "ORG", description = "One organization (id or name)")
    String org;

    @Option(names = "--all-orgs", description = "Every organization")
    boolean allOrgs;

    @Option(names = "--transfer-seats", description = "Move the seats the migration frees from the source pool"
            + " to the target pool (creating it if needed), in the same transaction: no NO_SEATS")
    boolean transferSeats;

    @Option(names = "--retire-source", description = "Mark the source type retired (platform-wide) once every org has"
            + " finished; with --all-orgs only")
    boolean retireSource;

    @Option(names = "--dry-run", description = "Record what would happen; change nothing")
    boolean dryRun;

    @Override
    int run(AppContext app) {
        ChangeRequest request = app.bean(ChangeRequestFactory.class).migrate(from, to, org, allOrgs, transferSeats,
                retireSource, dryRun, operator());
        out().printf("Request %d: %s%s%n", request.id(), request.description(), dryRun ? " [dry run]" : "");
        out().flush();
        return finish(app.bean(JobRunner.class).run(app.bean("migrateJob", Job.class), new JobParametersBuilder()
                .addLong(JobParameterNames.REQUEST, request.id())
                .addJobParameter(JobParameterNames.DRY_RUN, dryRun, Boolean.class)
                .addJobParameter(JobParameterNames.TRANSFER_SEATS, transferSeats, Boolean.class)
                .addJobParameter(JobParameterNames.MOVE_DEACTIVATED, true, Boolean.class)
                .toJobParameters()));
    }
}
