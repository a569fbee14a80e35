package io.licensebatch.remote;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** A broken connection that was open is still reported; one that broke in its handshake is its opener's to report. */
@ExtendWith(OutputCaptureExtension.class)
class HandshakeAwareExceptionHandlerTest {

    private final HandshakeAwareExceptionHandler handler = new HandshakeAwareExceptionHandler();

    @Test
    void aConnectionThatWasOpenIsReportedAsTheClientDoes(CapturedOutput output) {
        Connection open = mock(Connection.class);
        when(open.getFrameMax()).thenReturn(131_072);

        handler.handleUnexpectedConnectionDriverException(open, new SocketException("Connection reset"));

        assertThat(output.getAll()).contains("An unexpected connection driver error occurred")
                .contains("Connection reset");
    }

    @Test
    void aConnectionThatBrokeInItsHandshakeIsNotReportedTwice(CapturedOutput output) {
        Connection refused = mock(Connection.class);
        when(refused.getFrameMax()).thenReturn(0);

        handler.handleUnexpectedConnectionDriverException(refused, new SocketException("Connection reset"));

        assertThat(output.getAll()).doesNotContain("Connection reset");
    }
}
