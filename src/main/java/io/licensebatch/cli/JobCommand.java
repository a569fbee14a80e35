package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import io.licensebatch.job.common.FailureCause;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/** A command that runs a job: prints how it ended and what the operator can do next. */
abstract class JobCommand extends DatabaseCommand {

    static String operator() {
        return "operator:" + System.getProperty("user.name", "unknown");
    }

    int finish(JobExecution execution) {
        PrintWriter out = out();
        long id = execution.getId();
        Duration took = execution.getStartTime() == null || execution.getEndTime() == null ? Duration.ZERO
                : Duration.between(execution.getStartTime(), execution.getEndTime());
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            out.printf("Execution %d COMPLETED in %s. Outcomes: license-batch report %d%n", id,
                    Numbers.duration(took), id);
        } else if (execution.getStatus() == BatchStatus.STOPPED) {
            out.printf("Execution %d STOPPED at a chunk boundary; every committed chunk stays done."
                    + " Resume it: license-batch restart %d%n", id, id);
        } else {
            Optional<FailureCause> cause = FailureCause.of(execution);
            out.printf("Execution %d %s%s%nCommitted chunks stay done. Next: %s%n", id, execution.getStatus(),
                    cause.map(why -> " in " + why.step() + ": " + why.message()).orElse(" (see the log above)"),
                    cause.map(FailureCause::next).orElse("license-batch restart " + id));
        }
        out.flush();
        return ExitCodes.of(execution);
    }
}
