package io.licensebatch.request;

/**
 * A request that cannot be carried out as given, found before anything changed (exit code 2). The
 * message names what is wrong and what to do instead.
 */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
