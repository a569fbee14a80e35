package io.licensebatch.cli;

import io.licensebatch.domain.assignment.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reassign", header = "Move the selected learners to another license type.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move the selected learners to another license type.",
                "The old assignment ends and the new one starts in one transaction per chunk; prior usage stays"
                        + " on reports under the type it happened on."},
        footer = {"", "Examples:",
                "  license-batch reassign --org Acme --to LEARNING_HUB --learner ana@acme.example",
                "  license-batch reassign --org Acme --to LEARNING_HUB --license-type LEARNING_PRO --status ACTIVE"
                        + " --department Sales --exclude 1042,bo@acme.example --dry-run",
                "  license-batch reassign --org Acme --csv uploads/moves.csv --to LEARNING_HUB"})
class ReassignCommand extends ChangeCommand {

    @Option(names = "--to", paramLabel = "TYPE",
            description = "The license type to move them to (with --csv: for records with no license_type)")
    String to;

    @Override
    Action action() {
        return Action.REASSIGN;
    }

    @Override
    String target() {
        return to;
    }
}
