package io.licensebatch.cli;

import io.licensebatch.domain.assignment.Action;
import picocli.CommandLine.Command;

@Command(name = "revoke", header = "Revoke all licenses of the selected learners.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Revoke all licenses of the selected learners.",
                "Their seats go back to the pools; their prior usage stays on reports."},
        footer = {"", "Examples:",
                "  license-batch revoke --org Acme --learner 1042",
                "  license-batch revoke --org Acme --status DEACTIVATED --dry-run",
                "  license-batch revoke --org Acme --csv uploads/leavers.csv"})
class RevokeCommand extends ChangeCommand {

    @Override
    Action action() {
        return Action.REVOKE;
    }

    @Override
    String target() {
        return null;
    }
}
