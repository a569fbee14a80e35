package io.licensebatch.cli;

import io.licensebatch.request.ChangeOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;

@Command(name = "reorganise", header = "The nightly run: learners whose license drifted from their org's rules.", aliases = "reorganize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The nightly run: move every learner whose license drifted from their organization's rules",
                "(first matching rule wins; format: jobs/README.md). One run per rules file and night: starting the",
                "same night again resumes it or does nothing. A night that would change more than",
                "license-batch.guard-max-share of an org (10%%) or revoke more than guard-max-revokes (100) stops",
                "before changing anything (exit 4), unless confirmed."},
        footer = {"", "Example (cron, 02:30 every night):",
                "  30 2 * * *  license-batch reorganise --rules jobs/rules/nightly.yaml"})
class ReorganiseCommand extends JobCommand {

    @Option(names = "--rules", required = true, paramLabel = "FILE.yaml", description = "The rules file")
    Path rules;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The night to run (default: today)")
    LocalDate date;

    @Option(names = "--org", paramLabel = "ORG", description = "Only this organization of the rules file")
    String org;

    @Mixin
    RunOptions run;

    @Override
    int run(AppContext app) {
        return submit(app, new ChangeOrder.Reorganise(rules, date, org, run.how(operator())));
    }
}
