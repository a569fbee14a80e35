package io.licensebatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Every setting of license-batch, under {@code license-batch.*} (application.properties, environment
 * variables such as {@code LICENSE_BATCH_CHUNK_SIZE}, or {@code --license-batch.chunk-size=...}).
 *
 * @param chunkSize          learners per chunk: one transaction, one checkpoint, one statement per table
 * @param partitions         apply-step partitions that run at once (PostgreSQL; H2 uses 1); a large org is cut
 *                           into up to four item ranges per partition thread, which take them in turn
 * @param minPartitionItems  an org's selection is split only when each range gets at least this many
 * @param progressInterval   how often long steps print progress (done of total, rate, ETA)
 * @param transientRetries   how often a chunk retries a deadlock or lock timeout before it fails
 * @param retryBackoff       the pause before the first such retry (grows with each attempt)
 * @param shutdownWait       how long SIGTERM waits for the running chunk to commit before the process ends
 * @param guardMaxShare      the largest share of an org's learners a run may change unconfirmed (the mass-change
 *                           guard, on every job)
 * @param guardMinChanges    a run that changes at most this many learners of an org is never blocked by the share
 *                           (small jobs in small orgs)
 * @param guardMaxRevokes    the most licenses of one org a run may revoke unconfirmed
 * @param planMaxAge         the oldest a dry run may be to be applied ({@code apply EXECUTION})
 * @param claimCheckInterval how often a running job checks that the database session holding its claim is still
 *                           there (and claims again, or stops, when it was cut)
 * @param metrics            where each run pushes its metrics (a Prometheus Pushgateway); none when not set
 * @param reportHeap         summaries end with the JVM's peak heap (the benchmark sets it; operators need not)
 */
@ConfigurationProperties("license-batch")
public record LicenseBatchProperties(
        Integer chunkSize,
        Integer partitions,
        Integer minPartitionItems,
        Duration progressInterval,
        Integer transientRetries,
        Duration retryBackoff,
        Duration shutdownWait,
        Double guardMaxShare,
        Integer guardMinChanges,
        Integer guardMaxRevokes,
        Duration planMaxAge,
        Duration claimCheckInterval,
        Metrics metrics,
        Boolean reportHeap,
        Workers workers,
        Remote remote) {

    /** Where the apply step's partitions run: threads of this process, or worker processes ({@code worker}). */
    public enum Workers { LOCAL, REMOTE }

    /**
     * Remote partitioning over RabbitMQ (the broker: Spring Boot's {@code spring.rabbitmq.*}, e.g.
     * {@code SPRING_RABBITMQ_HOST}, {@code SPRING_RABBITMQ_PASSWORD}).
     *
     * @param queue         the durable queue the partition requests go through
     * @param ranges        how many ranges the apply step is cut into for workers (at most; fewer for small
     *                      selections, see {@code min-partition-items}): more than the workers' total concurrency,
     *                      so that a worker done early takes another, and a lost worker loses little
     * @param pollInterval  how often the manager reads its partitions' state (and progress) from the repository
     * @param noWorkerGrace how long partitions may wait with no worker consuming the queue (and none of them
     *                      claimed) before the manager fails them, and with them the run: then {@code restart}
     */
    public record Remote(String queue, Integer ranges, Duration pollInterval, Duration noWorkerGrace) {

        public Remote {
            if (queue != null && queue.isBlank()) {
                // Set, but to nothing (an empty variable in a deployment): not silently the shared default queue,
                // where this process would take (or send) the requests of another environment.
                throw new IllegalArgumentException("license-batch.remote.queue is empty: name the queue, or leave"
                        + " the setting out for the default, license-batch.partitions");
            }
            queue = queue == null ? "license-batch.partitions" : queue.strip();
            if (queue.startsWith("amq.")) {
                throw new IllegalArgumentException("license-batch.remote.queue '" + queue + "': RabbitMQ reserves"
                        + " queue names that start with amq.; choose another name");
            }
            ranges = ranges == null ? 32 : ranges;
            pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
            noWorkerGrace = noWorkerGrace == null ? Duration.ofSeconds(60) : noWorkerGrace;
            if (ranges < 1) {
                throw new IllegalArgumentException("license-batch.remote.ranges must be at least 1");
            }
            positive("remote.poll-interval", pollInterval);
            positive("remote.no-worker-grace", noWorkerGrace);
        }
    }

    /**
     * @param pushgatewayUrl the Pushgateway, e.g. {@code http://pushgateway.monitoring:9091}
     *                       ({@code license-batch.metrics.pushgateway-url}, or
     *                       {@code LICENSE_BATCH_METRICS_PUSHGATEWAY_URL}); unset: no metrics are pushed
     * @param timeout        how long a push may take before the run gives up on it (the run's result stands)
     */
    public record Metrics(String pushgatewayUrl, Duration timeout) {

        public Metrics {
            pushgatewayUrl = pushgatewayUrl == null || pushgatewayUrl.isBlank() ? null : pushgatewayUrl.strip();
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            positive("metrics.timeout", timeout);
        }
    }

    public LicenseBatchProperties {
        chunkSize = chunkSize == null ? 2000 : chunkSize;
        partitions = partitions == null ? 2 : partitions;
        minPartitionItems = minPartitionItems == null ? 20_000 : minPartitionItems;
        progressInterval = progressInterval == null ? Duration.ofSeconds(2) : progressInterval;
        transientRetries = transientRetries == null ? 3 : transientRetries;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
        shutdownWait = shutdownWait == null ? Duration.ofSeconds(20) : shutdownWait;
        guardMaxShare = guardMaxShare == null ? 0.10 : guardMaxShare;
        guardMinChanges = guardMinChanges == null ? 5 : guardMinChanges;
        guardMaxRevokes = guardMaxRevokes == null ? 100 : guardMaxRevokes;
        planMaxAge = planMaxAge == null ? Duration.ofDays(7) : planMaxAge;
        claimCheckInterval = claimCheckInterval == null ? Duration.ofSeconds(1) : claimCheckInterval;
        metrics = metrics == null ? new Metrics(null, null) : metrics;
        reportHeap = reportHeap != null && reportHeap;
        workers = workers == null ? Workers.LOCAL : workers;
        remote = remote == null ? new Remote(null, null, null, null) : remote;
        atLeastOne("license-batch.chunk-size (LICENSE_BATCH_CHUNK_SIZE)", chunkSize);
        atLeastOne("license-batch.partitions (LICENSE_BATCH_PARTITIONS)", partitions);
        atLeastOne("license-batch.min-partition-items (LICENSE_BATCH_MIN_PARTITION_ITEMS)", minPartitionItems);
        if (transientRetries < 0 || guardMinChanges < 0 || guardMaxRevokes < 0) {
            throw new IllegalArgumentException("license-batch.transient-retries, .guard-min-changes and"
                    + " .guard-max-revokes must be 0 or more");
        }
        // NaN would switch the guard off (no share is ever above it), and a share is at most 1.
        if (!(guardMaxShare >= 0 && guardMaxShare <= 1)) {
            throw new IllegalArgumentException("license-batch.guard-max-share must be a share from 0 to 1 (0.10 is"
                    + " 10%), not " + guardMaxShare);
        }
        positive("progress-interval", progressInterval);
        positive("plan-max-age", planMaxAge);
        positive("claim-check-interval", claimCheckInterval);
        if (retryBackoff.isNegative() || shutdownWait.isNegative()) {
            throw new IllegalArgumentException("license-batch.retry-backoff and .shutdown-wait must be 0 or more");
        }
    }

    private static void atLeastOne(String setting, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, not " + value);
        }
    }

    /** A duration the settings need to be at least a millisecond (a timer with a period of 0 never runs). */
    private static void positive(String setting, Duration value) {
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException("license-batch." + setting + " must be at least 1ms, not " + value);
        }
    }
}
