package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import io.licensebatch.generate.AccountGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Create a synthetic account, for trials and benchmarks: learners with a realistic spread",
                "of statuses, departments, locations, groups and license types, assignment history and usage."})
class GenerateCommand extends DatabaseCommand {

    @Option(names = "--org", required = true, paramLabel = "NAME", description = "The new organization's name")
    String org;

    @Option(names = "--learners", required = true, paramLabel = "N", description = "How many learners")
    long learners;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "The same seed gives the same account (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    int run(AppContext app) {
        if (learners < 1 || learners > 50_000_000) {
            throw new UsageException("--learners: between 1 and 50,000,000, not " + learners);
        }
        if (app.bean(io.licensebatch.domain.organization.OrganizationGateway.class).find(org).isPresent()) {
            throw new UsageException("--org: an organization named '" + org + "' exists already; choose a new name");
        }
        AccountGenerator.Generated generated = app.bean(AccountGenerator.class).generate(org, learners, seed);
        out().printf("Generated %s (org %d): %s learners in %s%n", org, generated.orgId(),
                Numbers.count(generated.learners()), Numbers.duration(generated.took()));
        out().flush();
        return ExitCodes.COMPLETED;
    }
}
