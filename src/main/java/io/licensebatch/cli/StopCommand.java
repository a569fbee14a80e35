package io.licensebatch.cli;

import io.licensebatch.job.common.JobRunner;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Ask a running execution, in any process, to stop at its next chunk boundary. It ends",
                "STOPPED with every committed chunk kept; `restart` continues it."})
class StopCommand extends DatabaseCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The execution id (see `status`)")
    long executionId;

    @Option(names = "--wait", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long to wait for it to stop, e.g. 30s or 2m (default: ${DEFAULT-VALUE}; 0s: do not"
                    + " wait)")
    String wait;

    @Override
    int run(AppContext app) throws InterruptedException {
        Duration patience;
        try {
            patience = Duration.parse("PT" + wait.toUpperCase());
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--wait: '" + wait + "' is not a duration like 30s or 2m");
        }
        JobRunner runner = app.bean(JobRunner.class);
        runner.stop(executionId);
        out().printf("Execution %d is stopping at its next chunk boundary.%n", executionId);
        out().flush();
        long deadline = System.nanoTime() + patience.toNanos();
        JobExecution execution = runner.find(executionId);
        while (execution.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            execution = runner.find(executionId);
        }
        if (execution.isRunning()) {
            out().printf("Execution %d is %s still (its chunk has not ended yet); `license-batch status %d` shows"
                    + " when it has stopped.%n", executionId, execution.getStatus(), executionId);
        } else if (execution.getStatus() == BatchStatus.STOPPED) {
            out().printf("Execution %d is STOPPED. Resume it: license-batch restart %d%n", executionId, executionId);
        } else {
            out().printf("Execution %d ended %s before the stop took effect; `license-batch status %d` shows what"
                    + " it did and what can be done next.%n", executionId, execution.getStatus(), executionId);
        }
        out().flush();
        return ExitCodes.COMPLETED;
    }
}
