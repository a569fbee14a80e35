package io.licensebatch.remote;

import io.licensebatch.config.LicenseBatchProperties;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.MessageChannel;

import java.util.List;

/**
 * Spring Batch Integration's remote partitioning over RabbitMQ, shared by the manager (the process that runs
 * the job: {@link RemoteManager}) and the workers ({@link PartitionWorker}): one durable queue of partition
 * requests ({@code StepExecutionRequest}: a step name and a step execution id), and the converter both sides
 * use for it. Results are not sent back: the manager polls the shared job repository (see
 * {@link RemotePartitionHandler} for why).
 */
@Configuration
@ConditionalOnProperty(prefix = "license-batch", name = "workers", havingValue = "remote")
public class RemotePartitioning {

    /**
     * What a partition request may deserialise into. Spring AMQP refuses Java deserialisation of anything not
     * allowed, so a message on the queue cannot make a worker instantiate arbitrary classes.
     */
    static final List<String> ALLOWED_CLASSES = List.of("org.springframework.batch.*", "java.lang.*", "java.util.*",
            "java.time.*");

    /**
     * The header of a partition request that names the manager's database ({@link #database}): a worker on
     * another database (a typo in its URL, a staging worker on production's queue) would find no such step
     * execution, or another run's, and must refuse the request rather than take or skip it.
     */
    static final String DATABASE_HEADER = "license_batch_database";

    /**
     * The database a process works on, as both sides can compare it: its name and its server's system
     * identifier (unique per PostgreSQL cluster), whatever host name or address each side reaches it by.
     */
    static String database(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select current_database() || ' (server ' || system_identifier || ')'"
                + " from pg_control_system()", String.class);
    }

    /** The channel the manager's partition handler sends requests to; they go to the broker from there. */
    static final String REQUESTS_CHANNEL = "partitionRequests";

    @Bean
    SimpleMessageConverter partitionRequestConverter() {
        SimpleMessageConverter converter = new SimpleMessageConverter();
        converter.setAllowedListPatterns(ALLOWED_CLASSES);
        return converter;
    }

    /**
     * Declared by the broker admin on the first connection, on either side: durable (it survives a broker
     * restart), and a classic queue whatever the virtual host's default: a quorum queue drops a message after a
     * number of redeliveries, and a partition request may be redelivered often (a worker stopping, a range
     * another worker holds).
     */
    @Bean
    Queue partitionQueue(LicenseBatchProperties properties) {
        return QueueBuilder.durable(properties.remote().queue()).withArgument("x-queue-type", "classic").build();
    }

    /** A refused login is the command's one line, not also a driver warning ({@link HandshakeAwareExceptionHandler}). */
    @Bean
    ConnectionFactoryCustomizer brokerExceptionHandler() {
        return factory -> factory.setExceptionHandler(new HandshakeAwareExceptionHandler());
    }

    @Bean(REQUESTS_CHANNEL)
    MessageChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToBroker(AmqpTemplate amqpTemplate, LicenseBatchProperties properties) {
        return IntegrationFlow.from(REQUESTS_CHANNEL)
                .handle(Amqp.outboundAdapter(amqpTemplate).routingKey(properties.remote().queue()))
                .get();
    }
}
