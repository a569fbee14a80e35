package io.licensebatch.cli;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.console.Json;
import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.console.Numbers;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.MassChangeGuard;
import io.licensebatch.launch.Launch;
import io.licensebatch.launch.LaunchService;
import io.licensebatch.remote.RemoteManager;
import io.licensebatch.request.ChangeOrder;
import io.licensebatch.runs.RunJson;
import io.licensebatch.runs.Runs;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A command that runs a job: hands its order to the launch service, and prints how it ended and what the operator
 * can do next. When the mass-change guard stops a run and the command runs on a terminal, it asks instead of
 * giving up ("Change 76,774 learners? [y/N]").
 */
abstract class JobCommand extends DatabaseCommand {

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write how the run ended as JSON to"
            + " FILE, for a scheduler (replaced if it exists; the shape: README, Machine-readable output)")
    Path summaryJson;

    @Option(names = "--workers", paramLabel = "local|remote", description = "Where the apply step's partitions run:"
            + " this process's threads (local, the default), or worker processes (`license-batch worker`) through"
            + " RabbitMQ (remote; PostgreSQL only). Also LICENSE_BATCH_WORKERS")
    LicenseBatchProperties.Workers workers;

    @Override
    List<String> settings() {
        return workers == null ? List.of() : List.of("--license-batch.workers=" + workers.name().toLowerCase());
    }

    static final String REMOTE_NEEDS_POSTGRESQL = "--workers remote: workers share the job repository, and the"
            + " embedded H2 database opens in one process only; use PostgreSQL (--db), or run without --workers remote";

    /**
     * Refused before the database is opened: remote workers asked for by {@code --workers} or the environment
     * ({@code LICENSE_BATCH_WORKERS}, a system property) on an H2 database (opening it would create it, under
     * {@code ./data/} for the default; a config file's setting is seen once the application has started:
     * {@link #checkWorkers}), and a {@code --summary-json} path that cannot be written.
     */
    @Override
    void beforeStart() {
        if (remoteAsked() && database.isH2(System.getenv())) {
            throw new UsageException(REMOTE_NEEDS_POSTGRESQL);
        }
        if (summaryJson != null) {
            // Written when the run has ended: a path it cannot be written to is refused before anything changes.
            OutputFile.check(summaryJson, true, "--summary-json");
        }
    }

    private boolean remoteAsked() {
        if (workers != null) {
            return workers == LicenseBatchProperties.Workers.REMOTE;
        }
        try {
            return Binder.get(new StandardEnvironment()).bind("license-batch.workers",
                    LicenseBatchProperties.Workers.class).orElse(null) == LicenseBatchProperties.Workers.REMOTE;
        } catch (BindException notAValue) {
            return false; // refused at start by the settings' binding, in the words every other command uses
        }
    }

    /** Remote workers need the job repository they share (PostgreSQL) and a reachable broker. */
    void checkWorkers(AppContext app) {
        LicenseBatchProperties properties = app.bean(LicenseBatchProperties.class);
        if (properties.workers() != LicenseBatchProperties.Workers.REMOTE) {
            return;
        }
        if (DatabaseDialect.of(app.bean(JdbcTemplate.class)) != DatabaseDialect.POSTGRESQL) {
            throw new UsageException(REMOTE_NEEDS_POSTGRESQL);
        }
        app.bean(RemoteManager.class).checkBroker();
    }

    static String operator() {
        return "operator:" + System.getProperty("user.name", "unknown");
    }

    /** Submits the order and prints the request, then how the run ended; returns the exit code. */
    int submit(AppContext app, ChangeOrder order) {
        checkWorkers(app);
        LaunchService launches = app.bean(LaunchService.class);
        Launch launch = launches.submit(order, request -> {
            out().printf("Request %d: %s%s%n", request.id(), request.description(),
                    request.dryRun() ? " [dry run: a plan, nothing changes]" : "");
            out().flush();
        });
        return finish(app, launch);
    }

    int finish(AppContext app, Launch launch) {
        int code = report(app, launch);
        if (summaryJson != null && launch.ending() != Launch.Ending.BLOCKED) {
            writeSummary(app, launch, code);
        }
        return code;
    }

    /** The run's summary as JSON, in the file a scheduler asked for (written whole, or not at all). */
    private void writeSummary(AppContext app, Launch launch, int code) {
        String json = launch.execution() == null
                ? Json.write(Json.fields("format", RunJson.RUN_FORMAT, "execution", null, "ending",
                        launch.ending().name(), "exitCode", code, "message", launch.message()))
                : RunJson.summary(app.bean(Runs.class).detail(launch.execution().getId()), launch.ending().name(), code);
        try (OutputFile file = OutputFile.open(summaryJson, true, "--summary-json")) {
            file.writer().write(json);
            file.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("--summary-json " + summaryJson + ": " + e.getMessage(), e);
        }
    }

    private int report(AppContext app, Launch launch) {
        PrintWriter out = out();
        if (launch.ending() == Launch.Ending.NOTHING_TO_DO || launch.message() != null) {
            out.println(launch.message());
            out.flush();
            return ExitCodes.of(launch);
        }
        JobExecution execution = launch.execution();
        long id = execution.getId();
        boolean remote = app.bean(LicenseBatchProperties.class).workers() == LicenseBatchProperties.Workers.REMOTE;
        String restart = FailureCause.restart(id, remote);
        Duration took = execution.getStartTime() == null || execution.getEndTime() == null ? Duration.ZERO
                : Duration.between(execution.getStartTime(), execution.getEndTime());
        switch (launch.ending()) {
            case COMPLETED -> out.printf("Execution %d COMPLETED in %s. Outcomes: license-batch report %d%s%n", id,
                    Numbers.duration(took), id, launch.request().dryRun() ? "; carry the plan out: license-batch apply "
                            + id : "");
            case COMPLETED_WITH_FAILURES -> out.printf("Execution %d COMPLETED in %s, but some learners FAILED (exit"
                    + " 5): license-batch report %d --status FAILED shows why; license-batch retry-failed %d runs them"
                    + " again%n", id, Numbers.duration(took), id, id);
            case COMPLETED_WITH_REJECTIONS -> out.printf("Execution %d COMPLETED in %s, with REJECTED learners"
                    + " (--fail-on-rejections: exit 5): license-batch report %d --failed-only shows the retryable ones%n",
                    id, Numbers.duration(took), id);
            case STOPPED -> out.printf("Execution %d STOPPED at a chunk boundary; every committed chunk stays done."
                    + " Resume it: %s%n", id, restart);
            case BLOCKED -> {
                return blocked(app, launch);
            }
            default -> {
                // Read again: with remote workers, the partitions' failures are in the repository, not in memory here.
                Optional<FailureCause> cause = FailureCause.of(app.bean(JobRunner.class).find(id), remote);
                out.printf("Execution %d %s%s%nCommitted chunks stay done. Next: %s%n", id, execution.getStatus(),
                        cause.map(why -> " in " + why.step() + ": " + why.message()).orElse(" (see the log above)"),
                        cause.map(FailureCause::next).orElse(restart));
            }
        }
        out.flush();
        return ExitCodes.of(launch);
    }

    /**
     * The guard stopped the run: on a terminal, ask (a yes restarts it confirmed, and that run's ending is the
     * command's); otherwise say how to let it through (exit 4).
     */
    private int blocked(AppContext app, Launch launch) {
        PrintWriter out = out();
        long id = launch.execution().getId();
        LaunchService launches = app.bean(LaunchService.class);
        out.printf("Execution %d stopped by the mass-change guard: nothing was changed.%n%s", id,
                MassChangeGuard.blockedReport(launch.execution()).orElse(""));
        Console console = System.console();
        if (console != null) {
            out.flush();
            String answer = console.readLine("Change %s? [y/N] ", Numbers.learners(launches.changes(launch.execution())));
            if (answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
                return finish(app, launches.restart(id, true, operator()));
            }
            out.println("Not confirmed: nothing changes.");
        }
        out.printf("If the change is intended: license-batch restart %d --confirm-large-change (the same selection),"
                + " or review a dry run and apply it%n", id);
        out.flush();
        if (summaryJson != null) {
            writeSummary(app, launch, ExitCodes.of(launch));
        }
        return ExitCodes.of(launch);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
