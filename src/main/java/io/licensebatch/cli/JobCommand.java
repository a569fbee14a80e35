package io.licensebatch.cli;

import io.licensebatch.console.Numbers;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import java.io.PrintWriter;
import java.time.Duration;

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
            String why = execution.getExitStatus().getExitDescription();
            String firstLine = why == null || why.isBlank() ? "see the log above"
                    : why.lines().findFirst().orElse(why);
            out.printf("Execution %d %s: %s%nCommitted chunks stay done; fix the cause, then resume: license-batch"
                    + " restart %d%n", id, execution.getStatus(), firstLine, id);
        }
        out.flush();
        return ExitCodes.of(execution);
    }
}
