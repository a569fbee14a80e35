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
        Duration claimCheckInterval) {

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
        if (chunkSize < 1 || partitions < 1 || minPartitionItems < 1) {
            throw new IllegalArgumentException("license-batch.chunk-size, .partitions and .min-partition-items"
                    + " must be at least 1");
        }
    }
}
