package io.licensebatch.cli;

import io.licensebatch.console.Json;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.launch.RequestResolver;
import io.licensebatch.verify.InvariantChecker;
import io.licensebatch.verify.InvariantChecker.Check;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "verify", header = "Check the invariants of licenses, seats, usage and outcomes.", mixinStandardHelpOptions = true,
        description = {"Check the invariants: one current assignment per learner, pools that match their",
                "assignments and never exceed their total, usage kept, one outcome per selected learner.",
                "Exits 1 and lists the violations if any."})
class VerifyCommand extends DatabaseCommand {

    private static final int EXAMPLES = 10;

    @Option(names = "--org", paramLabel = "ORG", description = "Only this organization (id or name); default: all")
    String org;

    @Option(names = "--json", description = "JSON instead of text (the shape: README, Machine-readable output)")
    boolean json;

    @Override
    int run(AppContext app) {
        Organization organization = org == null ? null : app.bean(RequestResolver.class).organization(org);
        List<Check> checks = app.bean(InvariantChecker.class).check(organization == null ? null : organization.id());
        PrintWriter out = out();
        boolean holds = checks.stream().allMatch(Check::holds);
        if (json) {
            out.print(Json.write(Json.fields("format", "license-batch.verify/1",
                    "org", organization == null ? null : Json.fields("id", organization.id(), "name", organization.name()),
                    "holds", holds,
                    "checks", checks.stream().map(check -> Json.fields("invariant", check.invariant().strip(),
                            "holds", check.holds(), "violations", check.violations().size(),
                            "examples", check.violations().stream().limit(EXAMPLES).toList())).toList())));
            out.flush();
            return holds ? ExitCodes.COMPLETED : ExitCodes.FAILED;
        }
        out.println("verify: " + (organization == null ? "all organizations" : organization.toString()));
        int violated = 0;
        for (Check check : checks) {
            out.printf("  %-4s %s%n", check.holds() ? "ok" : "FAIL", check.invariant());
            if (!check.holds()) {
                violated++;
                check.violations().stream().limit(EXAMPLES).forEach(line -> out.println("         " + line));
                if (check.violations().size() > EXAMPLES) {
                    out.printf("         ... %d more%n", check.violations().size() - EXAMPLES);
                }
            }
        }
        out.println(violated == 0 ? "All invariants hold." : violated + " invariant(s) violated.");
        out.flush();
        return violated == 0 ? ExitCodes.COMPLETED : ExitCodes.FAILED;
    }
}
