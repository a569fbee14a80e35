package io.licensebatch.launch;

import io.licensebatch.request.ChangeRequest;
import org.springframework.batch.core.job.JobExecution;

/**
 * What came of a launch: the request, the execution that carried it out (null when there was nothing to do),
 * and how it ended, which decides the exit code.
 *
 * @param message for {@link Ending#NOTHING_TO_DO}, and a restart of a run that had completed already: why there
 *                was nothing to do
 */
public record Launch(ChangeRequest request, JobExecution execution, Ending ending, String message) {

    /** How a run ended, as a scheduler alerts on it. */
    public enum Ending {
        /** Every learner has an outcome; rejected ones are not a failure. */
        COMPLETED,
        /** Completed, but some learners FAILED (an unexpected data error each): retry-failed them. */
        COMPLETED_WITH_FAILURES,
        /** Completed, some learners REJECTED, and the request asked for that to count (--fail-on-rejections). */
        COMPLETED_WITH_REJECTIONS,
        /** Stopped by the mass-change guard before anything changed: confirm, or leave it. */
        BLOCKED,
        /** Stopped at a chunk boundary (SIGTERM, stop): restart resumes it. */
        STOPPED,
        /** Failed: restart resumes it once the cause is fixed (status says the cause and what to do). */
        FAILED,
        /** Nothing to do: the follow-up finds no learner, say. */
        NOTHING_TO_DO
    }

    static Launch nothingToDo(String message) {
        return new Launch(null, null, Ending.NOTHING_TO_DO, message);
    }
}
