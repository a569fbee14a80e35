package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.MassChangeGuard;
import io.licensebatch.launch.Launch;
import io.licensebatch.launch.LaunchService;
import io.licensebatch.request.ChangeOrder;
import org.springframework.batch.core.job.JobExecution;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A command that runs a job: hands its order to the launch service, and prints how it ended and what the operator
 * can do next. When the mass-change guard stops a run and the command runs on a terminal, it asks instead of
 * giving up ("Change 76,774 learners? [y/N]").
 */
abstract class JobCommand extends DatabaseCommand {

    static String operator() {
        return "operator:" + System.getProperty("user.name", "unknown");
    }

    /** Submits the order and prints the request, then how the run ended; returns the exit code. */
    int submit(AppContext app, ChangeOrder order) {
        LaunchService launches = app.bean(LaunchService.class);
        Launch launch = launches.submit(order, request -> {
            out().printf("Request %d: %s%s%n", request.id(), request.description(),
                    request.dryRun() ? " [dry run: a plan, nothing changes]" : "");
            out().flush();
        });
        return finish(app, launch);
    }

    int finish(AppContext app, Launch launch) {
        PrintWriter out = out();
        if (launch.ending() == Launch.Ending.NOTHING_TO_DO || launch.message() != null) {
            out.println(launch.message());
            out.flush();
            return ExitCodes.of(launch);
        }
        JobExecution execution = launch.execution();
        long id = execution.getId();
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
                    + " Resume it: license-batch restart %d%n", id, id);
            case BLOCKED -> {
                return blocked(app, launch);
            }
            default -> {
                Optional<FailureCause> cause = FailureCause.of(execution);
                out.printf("Execution %d %s%s%nCommitted chunks stay done. Next: %s%n", id, execution.getStatus(),
                        cause.map(why -> " in " + why.step() + ": " + why.message()).orElse(" (see the log above)"),
                        cause.map(FailureCause::next).orElse("license-batch restart " + id));
            }
        }
        out.flush();
        return ExitCodes.of(launch);
    }

    /** The guard stopped the run: on a terminal, ask; otherwise say how to let it through (exit 4). */
    private int blocked(AppContext app, Launch launch) {
        PrintWriter out = out();
        long id = launch.execution().getId();
        LaunchService launches = app.bean(LaunchService.class);
        out.printf("Execution %d stopped by the mass-change guard: nothing was changed.%n%s", id,
                MassChangeGuard.blockedReport(launch.execution()).orElse(""));
        Console console = System.console();
        if (console != null) {
            out.flush();
            String answer = console.readLine("Change %s learners? [y/N] ",
                    Numbers.count(launches.changes(launch.execution())));
            if (answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
                return finish(app, launches.restart(id, true, operator()));
            }
            out.println("Not confirmed: nothing changes.");
        }
        out.printf("If the change is intended: license-batch restart %d --confirm-large-change (the same selection),"
                + " or review a dry run and apply it%n", id);
        out.flush();
        return ExitCodes.of(launch);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
