package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.generate.AccountGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", header = "Create a synthetic account, or a platform of many, for trials and benchmarks.",
        mixinStandardHelpOptions = true,
        description = {"Create a synthetic account, for trials and benchmarks: learners with a realistic spread",
                "of statuses, departments, locations, groups and license types, assignment history and usage.",
                "With --orgs N, a platform of N such orgs (NAME 1 to NAME N), in about the time of one org of",
                "all their learners."})
class GenerateCommand extends DatabaseCommand {

    @Option(names = "--org", required = true, paramLabel = "NAME", description = "The new organization's name (with"
            + " --orgs: the orgs are named NAME 1 to NAME N)")
    String org;

    @Option(names = "--learners", required = true, paramLabel = "N", description = "How many learners (with --orgs:"
            + " in each org)")
    long learners;

    @Option(names = "--orgs", paramLabel = "N", description = "A platform of this many orgs instead of one")
    Integer orgs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "The same seed gives the same account (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    int run(AppContext app) {
        if (orgs != null && (orgs < 1 || orgs > 1_000_000)) {
            throw new UsageException("--orgs: between 1 and 1,000,000, not " + orgs);
        }
        long total = learners * (orgs == null ? 1 : orgs);
        if (learners < 1 || total > 50_000_000) {
            throw new UsageException("--learners: at least 1, and 50,000,000 in all at most, not " + total);
        }
        OrganizationGateway organizations = app.bean(OrganizationGateway.class);
        String taken = orgs == null ? org : org + " 1";
        if (organizations.find(taken).isPresent() || (orgs != null && organizations.find(org + " " + orgs).isPresent())) {
            throw new UsageException("--org: an organization named '" + taken + "' exists already; choose a new name");
        }
        AccountGenerator generator = app.bean(AccountGenerator.class);
        AccountGenerator.Generated generated = orgs == null ? generator.generate(org, learners, seed)
                : generator.generate(org, orgs, learners, seed);
        if (orgs == null) {
            out().printf("Generated %s (org %d): %s in %s%n", org, generated.orgId(),
                    Numbers.learners(generated.learners()), Numbers.duration(generated.took()));
        } else {
            out().printf("Generated a platform of %s orgs, %s 1 to %s %d (orgs %d to %d): %s in all, in %s%n",
                    Numbers.count(generated.orgs()), org, org, orgs, generated.firstOrgId(), generated.lastOrgId(),
                    Numbers.learners(generated.learners()), Numbers.duration(generated.took()));
        }
        out().flush();
        return ExitCodes.COMPLETED;
    }
}
