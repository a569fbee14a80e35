package io.licensebatch.cli;

import io.licensebatch.request.ChangeOrder;
import io.licensebatch.request.RequestKind;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code retry-failed} and {@code undo}: a new run over what another run left or changed. */
abstract class FollowUpCommand extends JobCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The run to follow up (see `status`)")
    long executionId;

    @Mixin
    RunOptions run;

    abstract RequestKind kind();

    @Override
    int run(AppContext app) {
        return submit(app, new ChangeOrder.FollowUp(kind(), executionId, run.how(operator())));
    }
}
