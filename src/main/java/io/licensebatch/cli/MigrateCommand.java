package io.licensebatch.cli;

import io.licensebatch.request.ChangeOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate", header = "Move everyone off a license type, in one org or all of them.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move everyone off a license type (a product retired and replaced), in one org or across",
                "all of them, in ranges of equal work (small orgs together). Deactivated holders move too (their",
                "license is swapped, not given)."},
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

    @Mixin
    RunOptions run;

    @Override
    int run(AppContext app) {
        return submit(app, new ChangeOrder.Migrate(from, to, org, allOrgs, transferSeats, retireSource,
                run.how(operator())));
    }
}
