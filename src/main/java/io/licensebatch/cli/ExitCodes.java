package io.licensebatch.cli;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** The exit codes of every command (also listed by {@code --help}). */
final class ExitCodes {

    /** The job completed; rejected learners are not a failure. */
    static final int COMPLETED = 0;
    /** The job failed or was stopped (also: verify found violations). */
    static final int FAILED = 1;
    /** Bad usage or bad input, detected before anything started: nothing changed. */
    static final int BAD_INPUT = 2;
    /** Refused because that job instance is already running. */
    static final int ALREADY_RUNNING = 3;

    private ExitCodes() {
    }

    static int of(JobExecution execution) {
        return execution.getStatus() == BatchStatus.COMPLETED ? COMPLETED : FAILED;
    }
}
