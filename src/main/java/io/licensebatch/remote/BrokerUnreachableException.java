package io.licensebatch.remote;

import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.core.NestedExceptionUtils;

/** RabbitMQ cannot be reached for a remote run or a worker: nothing was started, and the message says what to do. */
public class BrokerUnreachableException extends RuntimeException {

    BrokerUnreachableException(String message) {
        super(message);
    }

    /**
     * Opens (and closes) a connection to the broker, or fails naming it, why, how to point at another, and
     * {@code otherwise}: what else the operator can do.
     */
    static void check(ConnectionFactory broker, String purpose, String otherwise) {
        try {
            broker.createConnection().close();
        } catch (AmqpAuthenticationException e) {
            throw new BrokerUnreachableException("RabbitMQ at " + broker.getHost() + ":" + broker.getPort()
                    + " refused the login " + purpose + " (" + NestedExceptionUtils.getMostSpecificCause(e).getMessage()
                    + "). Check SPRING_RABBITMQ_USERNAME and SPRING_RABBITMQ_PASSWORD (and the user's permissions on"
                    + " its virtual host); " + otherwise);
        } catch (AmqpException e) {
            throw new BrokerUnreachableException("cannot reach RabbitMQ at " + broker.getHost() + ":"
                    + broker.getPort() + " " + purpose + " (" + NestedExceptionUtils.getMostSpecificCause(e).getMessage()
                    + "). Start it, or set"
                    + " SPRING_RABBITMQ_HOST / SPRING_RABBITMQ_PORT (and SPRING_RABBITMQ_USERNAME /"
                    + " SPRING_RABBITMQ_PASSWORD); " + otherwise);
        }
    }
}
