package io.licensebatch.job.common;

/** The operator asked for something that cannot be done as asked (exit code 2); the message says why. */
public class NothingToDoException extends RuntimeException {

    public NothingToDoException(String message) {
        super(message);
    }
}
