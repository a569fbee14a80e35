package io.licensebatch.remote;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.job.common.RequestClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.MessageChannel;
import org.springframework.stereotype.Component;

/**
 * The manager's side of remote partitioning ({@code --workers remote}): the partition handler of the apply
 * step, which sends each partition to the queue and waits for the workers to finish them, and the checks made
 * before a remote run starts.
 */
@Component
@ConditionalOnProperty(prefix = "license-batch", name = "workers", havingValue = "remote")
public class RemoteManager {

    private static final Logger log = LoggerFactory.getLogger(RemoteManager.class);

    private final JobRepository jobRepository;
    private final MessageChannel requests;
    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final RequestClaims claims;
    private final PartitionPlan plan;
    private final ProgressMeter progress;
    private final JdbcTemplate jdbc;
    private final LicenseBatchProperties.Remote settings;

    public RemoteManager(JobRepository jobRepository,
            @Qualifier(RemotePartitioning.REQUESTS_CHANNEL)
            MessageChannel requests, ConnectionFactory connectionFactory, AmqpAdmin admin, RequestClaims claims,
            PartitionPlan plan, ProgressMeter progress, JdbcTemplate jdbc, LicenseBatchProperties properties) {
        this.jobRepository = jobRepository;
        this.requests = requests;
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.claims = claims;
        this.plan = plan;
        this.progress = progress;
        this.jdbc = jdbc;
        this.settings = properties.remote();
    }

    /** The apply step's partition handler when its partitions run on workers. */
    public PartitionHandler handler(String workerStepName) {
        MessagingTemplate template = new MessagingTemplate();
        template.setDefaultChannel(requests);
        return new RemotePartitionHandler(workerStepName, template, this::queueState, claims, plan, progress, jdbc,
                jobRepository, settings.pollInterval(), settings.noWorkerGrace());
    }

    /**
     * Before a remote run: the broker must be reachable (or nothing could be sent, and the run would fail after
     * its selection); no worker yet is only a warning, since workers may start after the manager.
     */
    public void checkBroker() {
        BrokerUnreachableException.check(connectionFactory, "for --workers remote",
                "or run without --workers remote. Nothing changed");
        int consumers = consumers();
        if (consumers == 0) {
            log.warn("no worker consumes {} yet: start `license-batch worker` (same database); the run fails if none"
                    + " takes its partitions within {} s", settings.queue(), settings.noWorkerGrace().toSeconds());
        } else {
            log.info("{} worker consumer(s) on {}", consumers, settings.queue());
        }
    }

    /** How many consumers (worker threads) the partition queue has right now. */
    public int consumers() {
        return queueState().consumers();
    }

    private RemotePartitionHandler.QueueState queueState() {
        QueueInformation queue = admin.getQueueInfo(settings.queue());
        return queue == null ? new RemotePartitionHandler.QueueState(0, 0)
                : new RemotePartitionHandler.QueueState(queue.getConsumerCount(), (int) Math.min(Integer.MAX_VALUE, queue.getMessageCount()));
    }
}
