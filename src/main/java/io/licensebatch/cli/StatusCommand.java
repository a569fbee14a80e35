package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.job.common.ExecutionHistory;
import io.licensebatch.job.common.ExecutionOwnership;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.RunReport;
import io.licensebatch.job.common.MassChangeGuard;
import io.licensebatch.selection.SelectionCounts;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Recent executions, or one execution in detail: status, outcome counts, progress while it",
                "runs (from any process), and what can be done next."})
class StatusCommand extends DatabaseCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Parameters(arity = "0..1", paramLabel = "EXECUTION", description = "One execution id; omit for the recent ones")
    Long executionId;

    @Option(names = "--limit", defaultValue = "20", description = "How many recent executions (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    int run(AppContext app) {
        if (executionId == null) {
            return list(app);
        }
        JobRunner runner = app.bean(JobRunner.class);
        JobExecution execution = runner.find(executionId);
        PrintWriter out = out();
        boolean alive = runner.isAlive(execution);
        out.print(app.bean(RunReport.class).summary(execution, state(app, execution, alive)));
        if (execution.getStatus() == BatchStatus.FAILED && MassChangeGuard.blockedReport(execution).isEmpty()) {
            FailureCause.of(execution).ifPresent(cause -> out.printf("%n  cause (%s): %s%n", cause.step(),
                    cause.message()));
        }
        if (execution.isRunning()) {
            out.println();
            out.println("  " + progress(app, execution));
        }
        out.println();
        next(app, execution, alive).forEach(line -> out.println("  next: " + line));
        out.flush();
        return ExitCodes.COMPLETED;
    }

    private int list(AppContext app) {
        List<ExecutionHistory.Row> rows = app.bean(ExecutionHistory.class).recent(limit);
        if (rows.isEmpty()) {
            out().println("No executions yet. Try: license-batch demo");
            out().flush();
            return ExitCodes.COMPLETED;
        }
        SelectionCounts selection = app.bean(SelectionCounts.class);
        OutcomeGateway outcomes = app.bean(OutcomeGateway.class);
        TextTable table = new TextTable("execution", "job", "instance", "status", "started", "took", "done", "of");
        for (ExecutionHistory.Row row : rows) {
            Duration took = row.start() == null ? Duration.ZERO
                    : Duration.between(row.start(), row.end() == null ? LocalDateTime.now() : row.end());
            table.row(row.executionId(), row.jobName(), row.instanceId(), row.status(),
                    row.start() == null ? "-" : TIME.format(row.start()), Numbers.duration(took),
                    Numbers.count(outcomes.count(row.instanceId())), Numbers.count(selection.count(row.instanceId())));
        }
        out().print(table.render(""));
        out().println("Details: license-batch status EXECUTION");
        out().flush();
        return ExitCodes.COMPLETED;
    }

    private static String state(AppContext app, JobExecution execution, boolean alive) {
        if (!execution.isRunning()) {
            return execution.getStatus().name();
        }
        String owner = app.bean(ExecutionOwnership.class).ownerOf(execution.getId()).orElse("an unknown process");
        return alive ? execution.getStatus() + ", running in " + owner
                : execution.getStatus() + " but not running: " + owner + " is gone (killed?)";
    }

    private static String progress(AppContext app, JobExecution execution) {
        long instanceId = execution.getJobInstanceId();
        SelectionCounts selection = app.bean(SelectionCounts.class);
        OptionalLong taken = selection.taken(instanceId);
        if (taken.isEmpty()) {
            long staged = selection.count(instanceId);
            return staged == 0 ? "progress: selecting the learners (nothing changes before the selection is complete)"
                    : "progress: staging the upload, " + Numbers.count(staged) + " records so far (nothing changes"
                            + " before every record is staged)";
        }
        long total = taken.getAsLong();
        OutcomeGateway outcomes = app.bean(OutcomeGateway.class);
        long done = outcomes.count(instanceId);
        long byThis = outcomes.countWrittenBy(execution.getId());
        Duration elapsed = Duration.between(applyStart(execution), LocalDateTime.now());
        return String.format("progress: %s of %s learners (%s), %s, ETA %s", Numbers.count(done),
                Numbers.count(total), Numbers.percent(done, total), Numbers.rate(byThis, elapsed),
                Numbers.eta(byThis, total - (done - byThis), elapsed));
    }

    /** When this execution started applying: the rate and ETA leave out the time spent selecting. */
    private static LocalDateTime applyStart(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("apply") && step.getStartTime() != null)
                .map(StepExecution::getStartTime).findFirst()
                .orElse(execution.getStartTime() == null ? LocalDateTime.now() : execution.getStartTime());
    }

    private static List<String> next(AppContext app, JobExecution execution, boolean alive) {
        long id = execution.getId();
        List<String> next = new ArrayList<>();
        if (execution.isRunning()) {
            next.add(alive ? "license-batch stop " + id + "   (stops at the next chunk boundary)"
                    : "license-batch restart " + id + "   (recovers the dead execution and resumes it)");
        } else if (execution.getStatus() == BatchStatus.COMPLETED) {
            List<OutcomeCount> counts = app.bean(OutcomeGateway.class).countByStatusAndReason(execution.getJobInstanceId());
            boolean retryable = counts.stream().anyMatch(count -> count.status() == OutcomeStatus.FAILED
                    || (count.reason() != null && count.reason().isRetryable()));
            boolean changed = counts.stream().anyMatch(count -> count.status() == OutcomeStatus.REASSIGNED
                    || count.status() == OutcomeStatus.REVOKED);
            next.add("license-batch report " + id + "   (every outcome, as CSV)");
            if (retryable) {
                next.add("license-batch retry-failed " + id + "   (a new run over its FAILED, NO_SEATS and"
                        + " CHANGED_CONCURRENTLY learners; see them with report " + id + " --failed-only)");
            }
            if (changed) {
                next.add("license-batch undo " + id + "   (put back what it changed, where nothing changed since)");
            }
        } else if (MassChangeGuard.blockedReport(execution).isPresent()) {
            next.add("license-batch restart " + id + " --confirm-large-change   (the mass-change guard stopped this"
                    + " run before it changed anything; let it through only if the change is intended)");
        } else if (execution.getStatus() == BatchStatus.FAILED) {
            next.add(FailureCause.of(execution).map(FailureCause::next)
                    .orElse("license-batch restart " + id + "   (resumes from the last checkpoint)"));
        } else {
            next.add("license-batch restart " + id + "   (resumes from the last checkpoint)");
        }
        return next;
    }
}
