package io.licensebatch.cli;

/** A command used wrongly, found before anything changed (exit 2). */
class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
