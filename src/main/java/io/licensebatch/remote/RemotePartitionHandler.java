package io.licensebatch.remote;

import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.job.common.RequestClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.dao.DataAccessException;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The apply step's partition handler with remote workers: Spring Batch Integration's protocol (one
 * {@link StepExecutionRequest} per partition, sent to a channel that ends in the broker's queue, run by the
 * workers' {@code StepExecutionRequestHandler}) with the manager <em>polling the shared job repository</em> for
 * the partitions' state, as {@code MessageChannelPartitionHandler} does in its polling mode. Not the aggregated
 * replies: they are correlated in memory (two runs at once can mix their completions, spring-batch #4945), are
 * lost when the manager restarts, and never come from a worker that died; the repository is the truth either way.
 *
 * <p>The poll is this class's own rather than {@code MessageChannelPartitionHandler}'s, for what that one leaves
 * open: its poller fails the step at the first database hiccup while the workers run on, and it waits forever
 * for a partition nobody runs. Here, every poll
 * <ul>
 * <li>reads the partitions' state (a transient database error is logged and the next poll tries again);</li>
 * <li>advances the run's progress from the partitions' committed counts;</li>
 * <li>sends again the request of a partition that is still waiting (STARTING), that no worker has claimed,
 * while the queue holds no request at all, for longer than {@code license-batch.remote.no-worker-grace}: its
 * request was lost (a broker restart, a worker of another environment); a second copy is harmless, since a
 * worker runs a partition only under its claim and only while it is running;</li>
 * <li>fails the unfinished partitions nobody runs when the queue has had no consumer for that long: then the
 * step fails, the run exits 1, and {@code restart} sends the unfinished partitions again.</li>
 * </ul>
 * A worker that dies is none of these: the broker gives its unacknowledged request to another worker, which
 * resumes the partition from its outcomes.
 */
class RemotePartitionHandler extends AbstractPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private static final String STATUSES = """
            select step_execution_id, status from batch_step_execution
             where job_execution_id = ? and step_name like ?
            """;

    private static final String COMMITTED = """
            select coalesce(sum(write_count), 0) from batch_step_execution
             where job_execution_id = ? and step_name like ?
            """;

    /** The queue as the manager sees it: its consumers (worker threads) and the requests waiting in it. */
    record QueueState(int consumers, int waiting) {
    }

    private final String workerStep;
    private final MessagingTemplate requests;
    private final Supplier<QueueState> queue;
    private final RequestClaims claims;
    private final PartitionPlan plan;
    private final ProgressMeter progress;
    private final JdbcTemplate jdbc;
    private final JobRepository jobRepository;
    private final Duration pollInterval;
    private final Duration grace;
    /** The manager's database, named in every request (a worker on another one refuses it). */
    private volatile String database;

    /** @param requests sends to the channel that ends in the broker's queue (its default channel) */
    RemotePartitionHandler(String workerStep, MessagingTemplate requests, Supplier<QueueState> queue, RequestClaims claims, PartitionPlan plan, ProgressMeter progress,
            JdbcTemplate jdbc, JobRepository jobRepository, Duration pollInterval, Duration grace) {
        this.workerStep = workerStep;
        this.requests = requests;
        this.queue = queue;
        this.claims = claims;
        this.plan = plan;
        this.progress = progress;
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.pollInterval = pollInterval;
        this.grace = grace;
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return partitions;
        }
        database = RemotePartitioning.database(jdbc);
        int sequence = 0;
        for (StepExecution partition : partitions) {
            send(manager, partition.getId(), sequence++, partitions.size());
        }
        log.atInfo().addKeyValue("execution", manager.getJobExecutionId())
                .addKeyValue("partitions", partitions.size())
                .log("apply: {} partition(s) sent to the workers", partitions.size());
        return new Poll(manager, partitions).untilAllHaveEnded();
    }

    private void send(StepExecution manager, long partitionId, int sequence, int size) {
        requests.send(MessageBuilder.withPayload(new StepExecutionRequest(workerStep, partitionId))
                .setSequenceNumber(sequence)
                .setSequenceSize(size)
                .setCorrelationId(manager.getJobExecutionId() + ":" + workerStep)
                .setHeader(RemotePartitioning.DATABASE_HEADER, database)
                .build());
    }

    private final class Poll {
        private final StepExecution manager;
        private final long instance;
        private final Map<Long, String> names = new HashMap<>();
        private final Map<Long, Integer> positions = new HashMap<>();
        private final String workerSteps;
        private final Map<Long, Long> waitingUnclaimedSince = new HashMap<>();
        private long lastCommitted;
        private long lastConsumerSeen = System.nanoTime();

        Poll(StepExecution manager, Set<StepExecution> partitions) {
            this.manager = manager;
            this.instance = manager.getJobExecution().getJobInstanceId();
            partitions.forEach(partition -> names.put(partition.getId(), partition.getStepName()));
            this.workerSteps = workerStep + ":%";
            this.lastCommitted = committed();
        }

        Set<StepExecution> untilAllHaveEnded() throws InterruptedException {
            while (true) {
                Thread.sleep(pollInterval.toMillis());
                try {
                    Set<StepExecution> ended = check();
                    if (ended != null) {
                        return ended;
                    }
                } catch (DataAccessException e) {
                    // The partitions' state is in the repository, and the workers go on: read it again next time.
                    log.warn("apply: reading the remote partitions' state failed ({}); trying again", e.getMessage());
                }
            }
        }

        /**
         * The partitions, once none is running any more; null while some are. A poll reads their states in one
         * query and their claims in another (whatever the number of ranges); the step executions themselves
         * only at the end, or to fail them.
         */
        private Set<StepExecution> check() {
            advanceProgress();
            Map<Long, BatchStatus> statuses = statuses();
            List<Long> unfinished = names.keySet().stream().filter(id -> statuses.get(id).isRunning()).sorted()
                    .toList();
            if (unfinished.isEmpty()) {
                advanceProgress();
                Set<StepExecution> ended = new HashSet<>();
                names.keySet().forEach(id -> ended.add(jobRepository.getStepExecution(id)));
                return ended;
            }
            Set<Integer> held = claims.heldPartitions(instance);
            Set<Long> claimed = new HashSet<>();
            for (long id : unfinished) {
                if (held.contains(position(id))) {
                    claimed.add(id);
                }
            }
            QueueState state = queue.get();
            if (state.consumers() > 0 || !claimed.isEmpty()) {
                lastConsumerSeen = System.nanoTime();
            }
            Duration withoutWorker = Duration.ofNanos(System.nanoTime() - lastConsumerSeen);
            if (withoutWorker.compareTo(grace) >= 0) {
                failUnclaimed(unfinished.stream().map(jobRepository::getStepExecution).toList(), claimed,
                        withoutWorker);
                return null;
            }
            resendLost(unfinished, statuses, claimed, state);
            return null;
        }

        /** Every partition's state, in one query: {@code step execution id -> status}. */
        private Map<Long, BatchStatus> statuses() {
            Map<Long, BatchStatus> statuses = new HashMap<>();
            jdbc.query(STATUSES, rs -> {
                statuses.put(rs.getLong(1), BatchStatus.valueOf(rs.getString(2)));
            }, manager.getJobExecutionId(), workerSteps);
            for (long id : names.keySet()) {
                if (!statuses.containsKey(id)) {
                    throw new IllegalStateException("partition " + names.get(id) + " (step execution " + id
                            + ") is not in the job repository");
                }
            }
            return statuses;
        }

        /** A partition's range position in the plan (read once). */
        private int position(long id) {
            return positions.computeIfAbsent(id, key -> plan.range(instance, names.get(key)).position());
        }

        /** Partitions still waiting, claimed by nobody, with no request in the queue: their request was lost. */
        private void resendLost(List<Long> unfinished, Map<Long, BatchStatus> statuses, Set<Long> claimed,
                QueueState state) {
            long now = System.nanoTime();
            Set<Long> waiting = new HashSet<>();
            for (long id : unfinished) {
                if (statuses.get(id) == BatchStatus.STARTING && !claimed.contains(id) && state.waiting() == 0) {
                    waiting.add(id);
                }
            }
            waitingUnclaimedSince.keySet().retainAll(waiting);
            for (long id : waiting) {
                long since = waitingUnclaimedSince.computeIfAbsent(id, key -> now);
                if (Duration.ofNanos(now - since).compareTo(grace) >= 0) {
                    log.warn("apply: the request of partition {} (step execution {}) is in no queue and no worker"
                            + " holds it; sending it again", names.get(id), id);
                    send(manager, id, 0, 1);
                    waitingUnclaimedSince.put(id, now);
                }
            }
        }

        private void failUnclaimed(List<StepExecution> unfinished, Set<Long> claimed, Duration withoutWorker) {
            List<StepExecution> nobodys = unfinished.stream()
                    .filter(partition -> !claimed.contains(partition.getId())).toList();
            log.atError().addKeyValue("execution", manager.getJobExecutionId())
                    .addKeyValue("partitions", nobodys.size())
                    .log("apply: no worker for {} s: {} partition(s) nobody runs are marked FAILED; start workers"
                            + " (license-batch worker) and `{}` sends them again",
                            withoutWorker.toSeconds(), nobodys.size(),
                            FailureCause.restart(manager.getJobExecutionId(), true));
            for (StepExecution partition : nobodys) {
                partition.setStatus(BatchStatus.FAILED);
                partition.setExitStatus(ExitStatus.FAILED.addExitDescription("no worker took this partition within "
                        + grace.toSeconds() + " s (license-batch.remote.no-worker-grace)"));
                partition.setEndTime(LocalDateTime.now());
                jobRepository.update(partition);
            }
        }

        private void advanceProgress() {
            long now = committed();
            if (now > lastCommitted) {
                progress.advance(manager.getJobExecutionId(), now - lastCommitted);
                lastCommitted = now;
            }
        }

        private long committed() {
            Long sum = jdbc.queryForObject(COMMITTED, Long.class, manager.getJobExecutionId(), workerSteps);
            return sum == null ? 0 : sum;
        }
    }
}
