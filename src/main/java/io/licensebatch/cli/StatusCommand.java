package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.RequestClaims;
import io.licensebatch.job.common.RunReport;
import io.licensebatch.launch.Executions.State;
import io.licensebatch.launch.RequestResolver;
import io.licensebatch.runs.Run;
import io.licensebatch.remote.PartitionWorkers;
import io.licensebatch.runs.RunDetail;
import io.licensebatch.runs.RunFilter;
import io.licensebatch.runs.RunJson;
import io.licensebatch.runs.Runs;
import io.licensebatch.selection.SelectionCounts;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

@Command(name = "status", header = "Recent runs, or one run in detail with its cause and next steps.", mixinStandardHelpOptions = true,
        description = {"Recent executions (org, what, dry run or not, who, when, state, counts), or one execution in",
                "detail: outcome counts, seats, why it failed, progress while it runs (from any process), and what",
                "can be done next."})
class StatusCommand extends DatabaseCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int MAX_LIMIT = 10_000;

    @Parameters(arity = "0..1", paramLabel = "EXECUTION", description = "One execution id; omit for the recent ones")
    Long executionId;

    @Option(names = "--limit", defaultValue = "20", description = "How many recent executions, 1 to " + MAX_LIMIT
            + " (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--org", paramLabel = "ORG", description = "Only runs in this organization (id or name), and"
            + " runs across orgs that touched it")
    String org;

    @Option(names = "--since", paramLabel = "DATE", description = "Only runs created on or after DATE (yyyy-mm-dd)")
    LocalDate since;

    @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state: ${COMPLETION-CANDIDATES}")
    State state;

    @Option(names = "--json", description = "JSON instead of text (the shape: README, Machine-readable output)")
    boolean json;

    @Override
    int run(AppContext app) {
        if (executionId == null) {
            return list(app);
        }
        if (org != null || since != null || state != null) {
            throw new UsageException("--org, --since and --state filter the list: give them without an EXECUTION");
        }
        RunDetail detail = app.bean(Runs.class).detail(executionId);
        PrintWriter out = out();
        if (json) {
            out.print(RunJson.detail(detail));
            out.flush();
            return ExitCodes.COMPLETED;
        }
        JobExecution execution = app.bean(JobRunner.class).find(executionId);
        Run run = detail.run();
        out.print(app.bean(RunReport.class).summary(execution, state(detail)));
        if (run.request() != null) {
            out.printf("  requested by %s at %s%s%n", run.request().requestedBy(), TIME.format(run.created()),
                    run.request().note() == null ? "" : "; note: " + run.request().note());
        }
        detail.cause().ifPresent(cause -> out.printf("%n  cause (%s): %s%n", cause.step(), cause.message()));
        detail.blocked().ifPresent(report -> out.printf("%n  blocked by the mass-change guard:%n%s%n",
                report.indent(4).stripTrailing()));
        if (run.state() == State.RUNNING) {
            out.println();
            out.println("  " + progress(app, execution));
        }
        workers(app, execution, out);
        out.println();
        detail.next().forEach(step -> out.println("  next: " + step.command()
                + (step.why().isEmpty() ? "" : "   (" + step.why() + ")")));
        out.flush();
        return ExitCodes.COMPLETED;
    }

    private int list(AppContext app) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new UsageException("--limit: " + limit + " is not a number of executions from 1 to " + MAX_LIMIT);
        }
        Long orgId = org == null ? null : app.bean(RequestResolver.class).organization(org).id();
        List<Run> runs = app.bean(Runs.class).list(new RunFilter(orgId, since, state, limit));
        PrintWriter out = out();
        if (json) {
            out.print(RunJson.list(runs));
            out.flush();
            return ExitCodes.COMPLETED;
        }
        if (runs.isEmpty()) {
            out.println(org == null && since == null && state == null ? "No executions yet. Try: license-batch demo"
                    : "No executions match " + filters() + ".");
            out.flush();
            return ExitCodes.COMPLETED;
        }
        TextTable table = new TextTable("execution", "state", "org", "what", "mode", "started", "ended", "this run",
                "done", "of", "requested by", "note");
        for (Run run : runs) {
            Run.Request request = run.request();
            table.row(run.execution(), run.state(), request == null ? "-" : request.scope(),
                    request == null ? run.job() : request.what(), request == null ? "" : request.dryRun() ? "dry run"
                            : "change", time(run.started() == null ? run.created() : run.started()), time(run.ended()),
                    Numbers.count(run.doneByThisOne()), Numbers.count(run.done()),
                    run.selected() < 0 ? "-" : Numbers.count(run.selected()),
                    request == null ? "" : request.requestedBy(), request == null ? "" : shortened(request.note()));
        }
        out.print(table.render(""));
        out.println("this run: learners this execution gave an outcome; done: the run's, restarts included; of: its"
                + " selection.");
        out.println("Details: license-batch status EXECUTION");
        out.flush();
        return ExitCodes.COMPLETED;
    }

    private String filters() {
        List<String> filters = new ArrayList<>();
        if (org != null) {
            filters.add("--org " + org);
        }
        if (since != null) {
            filters.add("--since " + since);
        }
        if (state != null) {
            filters.add("--state " + state);
        }
        return String.join(" ", filters);
    }

    private static String time(LocalDateTime time) {
        return time == null ? "-" : TIME.format(time);
    }

    private static String shortened(String note) {
        return note == null ? "" : note.length() <= 40 ? note : note.substring(0, 39) + "…";
    }

    /** The state in words: who runs it, or that its process is gone. */
    private static String state(RunDetail detail) {
        State state = detail.run().state();
        String owner = detail.owner().orElse("an unknown process");
        return switch (state) {
            case RUNNING -> "RUNNING in " + owner;
            case DEAD -> "DEAD: marked " + detail.run().batchStatus() + ", but " + owner + " is gone (killed?)";
            case BLOCKED -> "BLOCKED by the mass-change guard (nothing changed)";
            default -> state.name();
        };
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
        long byThis = outcomes.countWrittenBy(instanceId, execution.getId());
        Duration elapsed = Duration.between(applyStart(execution), LocalDateTime.now());
        return String.format("progress: %s of %s (%s), %s, ETA %s", Numbers.count(done),
                Numbers.learners(total), Numbers.percent(done, total), Numbers.rate(byThis, elapsed),
                Numbers.eta(byThis, total - (done - byThis), elapsed));
    }

    /** With remote workers: each partition of the apply step, its state and the worker that took it. */
    private static void workers(AppContext app, JobExecution execution, PrintWriter out) {
        Map<String, String> workers = app.bean(PartitionWorkers.class).of(execution.getId());
        if (workers.isEmpty()) {
            return;
        }
        // A worker holds its range's claim while it runs it: a running partition whose claim nobody holds has lost
        // its worker (killed, or cut off), and its request waits for another.
        Set<Integer> held = app.bean(RequestClaims.class).heldPartitions(execution.getJobInstanceId());
        Map<String, Integer> positions = new HashMap<>();
        app.bean(PartitionPlan.class).ranges(execution.getJobInstanceId(), "applyPartition")
                .forEach(range -> positions.put(range.stepName(), range.position()));
        TextTable table = new TextTable("partition", "state", "written", "worker");
        execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith("applyPartition:"))
                .sorted(Comparator.comparingLong(StepExecution::getId))
                .forEach(step -> {
                    String worker = workers.getOrDefault(step.getStepName(), "(queued: no worker took it yet)");
                    if (workers.containsKey(step.getStepName()) && step.getStatus().isRunning()
                            && !held.contains(positions.get(step.getStepName()))) {
                        worker += " (gone: the partition waits in the queue for another worker)";
                    }
                    table.row(step.getStepName().substring(step.getStepName().indexOf(':') + 1),
                            step.getStatus().name(), Numbers.count(step.getWriteCount()), worker);
                });
        out.println();
        out.println("  partitions on remote workers:");
        out.print(table.render("    "));
    }

    /** When this execution started applying: the rate and ETA leave out the time spent selecting. */
    private static LocalDateTime applyStart(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("apply") && step.getStartTime() != null)
                .map(StepExecution::getStartTime).findFirst()
                .orElse(execution.getStartTime() == null ? LocalDateTime.now() : execution.getStartTime());
    }
}
