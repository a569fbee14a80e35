package io.licensebatch.cli;

import io.licensebatch.launch.Launch;

/** The exit codes of every command (also listed by {@code --help}, and in the README). */
final class ExitCodes {

    /** The job completed; rejected learners are not a failure (unless --fail-on-rejections). */
    static final int COMPLETED = 0;
    /** The job failed or was stopped (also: verify found violations). */
    static final int FAILED = 1;
    /** Bad usage, bad input or a bad setting, detected before anything started: nothing changed. */
    static final int BAD_INPUT = 2;
    /** Refused because that job instance is already running. */
    static final int ALREADY_RUNNING = 3;
    /** Blocked by the mass-change guard: nothing changed. */
    static final int BLOCKED = 4;
    /** Completed, but some learners FAILED (or, with --fail-on-rejections, were REJECTED). */
    static final int COMPLETED_WITH_FAILURES = 5;

    private ExitCodes() {
    }

    static int of(Launch launch) {
        return switch (launch.ending()) {
            case COMPLETED, NOTHING_TO_DO -> COMPLETED;
            case COMPLETED_WITH_FAILURES, COMPLETED_WITH_REJECTIONS -> COMPLETED_WITH_FAILURES;
            case BLOCKED -> BLOCKED;
            case STOPPED, FAILED -> FAILED;
        };
    }
}
