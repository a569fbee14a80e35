package io.licensebatch.cli;

import io.licensebatch.db.EmbeddedDatabaseHolder;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.remote.PartitionWorkers;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

@Command(name = "stop", header = "Stop a running execution, in any process, at its next chunk boundary.", mixinStandardHelpOptions = true,
        description = {"Ask a running execution, in any process, to stop at its next chunk boundary. It ends",
                "STOPPED with every committed chunk kept; `restart` continues it."})
class StopCommand extends DatabaseCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The execution id (see `status`)")
    long executionId;

    @Option(names = "--wait", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long to wait for it to stop, e.g. 30s or 2m (default: ${DEFAULT-VALUE}; 0s: do not"
                    + " wait)")
    String wait;

    private Duration patience() {
        Duration patience;
        try {
            patience = Duration.parse("PT" + wait.toUpperCase());
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--wait: '" + wait + "' is not a duration like 30s or 2m");
        }
        if (patience.isNegative()) {
            throw new UsageException("--wait: '" + wait + "' is negative; 0s does not wait, 30s or 2m waits that long");
        }
        return patience;
    }

    /**
     * The embedded database is open in the process that runs the execution: it is reached by its pid instead
     * (SIGTERM, which stops the run at the next chunk boundary, as {@code stop} does), then the database, free
     * again, tells how the run ended.
     */
    @Override
    int whenHeld(Optional<EmbeddedDatabaseHolder.Holder> holder) throws Exception {
        Duration patience = patience();
        if (holder.isEmpty() || holder.get().execution() == null || holder.get().execution() != executionId) {
            return super.whenHeld(holder);
        }
        ProcessHandle process = ProcessHandle.of(holder.get().pid()).orElse(null);
        if (process == null || !process.destroy()) {
            return super.whenHeld(holder);
        }
        out().printf("Execution %d runs in pid %d, which holds the embedded database: sent it SIGTERM, it stops at"
                + " its next chunk boundary.%n", executionId, process.pid());
        out().flush();
        try {
            process.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            out().printf("pid %d has not ended yet (its chunk is still being written); `license-batch status %d`"
                    + " tells once it has.%n", process.pid(), executionId);
            out().flush();
            return ExitCodes.COMPLETED;
        }
        try (AppContext app = AppContext.start(database, settings())) {
            report(app, app.bean(JobRunner.class).find(executionId));
        }
        return ExitCodes.COMPLETED;
    }

    @Override
    int run(AppContext app) throws InterruptedException {
        Duration patience = patience();
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
            out().flush();
            return ExitCodes.COMPLETED;
        }
        report(app, execution);
        return ExitCodes.COMPLETED;
    }

    private void report(AppContext app, JobExecution execution) {
        if (execution.getStatus() == BatchStatus.STOPPED) {
            // A run whose partitions workers took is resumed with workers: a plain restart would run them locally.
            out().printf("Execution %d is STOPPED. Resume it: %s%n", executionId, FailureCause.restart(executionId,
                    app.bean(PartitionWorkers.class).tookAny(executionId)));
        } else {
            out().printf("Execution %d ended %s before the stop took effect; `license-batch status %d` shows what"
                    + " it did and what can be done next.%n", executionId, execution.getStatus(), executionId);
        }
        out().flush();
    }
}
