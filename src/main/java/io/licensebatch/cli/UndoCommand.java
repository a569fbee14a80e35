package io.licensebatch.cli;

import io.licensebatch.request.RequestKind;
import picocli.CommandLine.Command;

@Command(name = "undo", header = "Put back what another run changed.", mixinStandardHelpOptions = true,
        description = {"A new run that puts every learner another run changed back on the license type they had",
                "before it (or back to no license), where they are still on what that run gave them; the others",
                "get REJECTED CHANGED_SINCE, and a learner who cannot be put back (deactivated since, or their old",
                "type retired) is REJECTED with that reason. Usage recorded in between stays where it happened. An",
                "undo can be restarted, retried and undone like any run."})
class UndoCommand extends FollowUpCommand {

    @Override
    RequestKind kind() {
        return RequestKind.UNDO;
    }
}
