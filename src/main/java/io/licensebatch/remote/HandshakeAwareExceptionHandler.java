package io.licensebatch.remote;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ client's own exception handler, but quiet about a connection that breaks before its handshake is
 * done. The broker closes the socket of a refused login, and the client's reading thread reported that as "An
 * unexpected connection driver error occurred (Exception message: Connection reset)", a warning printed before the
 * command's own message ("RabbitMQ at HOST:PORT refused the login ...": {@link BrokerUnreachableException}), as if
 * something else had gone wrong too. The handshake's failure reaches the code that opened the connection, which
 * reports it; this one goes to the debug log. A connection that was open (its frame size agreed with the broker,
 * which happens only after the login) is reported as before.
 */
final class HandshakeAwareExceptionHandler extends DefaultExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(HandshakeAwareExceptionHandler.class);

    @Override
    public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
        if (connection.getFrameMax() == 0) {
            log.debug("broker connection closed during its handshake (reported by whoever opened it): {}",
                    exception.toString());
            return;
        }
        super.handleUnexpectedConnectionDriverException(connection, exception);
    }
}
