package io.licensebatch.cli;

import io.licensebatch.job.common.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Resume a failed, stopped or killed execution from its last checkpoint.",
                "An execution left STARTED by a process that is gone (kill -9) is recovered first; one that is"
                        + " still running somewhere is refused (exit 3)."})
class RestartCommand extends JobCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The execution id (see `status`)")
    long executionId;

    @Override
    int run(AppContext app) {
        return finish(app.bean(JobRunner.class).restart(executionId));
    }
}
