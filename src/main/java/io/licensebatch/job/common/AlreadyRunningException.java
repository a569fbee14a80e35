package io.licensebatch.job.common;

/** Refused: the job instance is running right now, in this or another process (exit code 3). */
public class AlreadyRunningException extends RuntimeException {

    public AlreadyRunningException(String message) {
        super(message);
    }
}
