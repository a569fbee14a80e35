package io.licensebatch.remote;

/** RabbitMQ cannot be reached for a remote run: nothing was started, and the message says what to do. */
public class BrokerUnreachableException extends RuntimeException {

    BrokerUnreachableException(String message) {
        super(message);
    }
}
