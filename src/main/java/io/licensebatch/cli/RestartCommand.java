package io.licensebatch.cli;

import io.licensebatch.launch.LaunchService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart", header = "Resume a failed, stopped or killed run from its last checkpoint.", mixinStandardHelpOptions = true,
        description = {"Resume a failed, stopped or killed execution from its last checkpoint.",
                "An execution left running by a process that is gone (kill -9, a lost connection) is recovered first;"
                        + " one that is still running somewhere is refused (exit 3)."})
class RestartCommand extends JobCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The execution id (see `status`)")
    long executionId;

    @Option(names = {"--confirm-large-change", "--yes"},
            description = "Let a run the mass-change guard stopped through it (recorded with your name)")
    boolean confirm;

    @Override
    int run(AppContext app) {
        checkWorkers(app);
        return finish(app, app.bean(LaunchService.class).restart(executionId, confirm, operator()));
    }
}
