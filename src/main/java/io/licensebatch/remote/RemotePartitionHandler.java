package io.licensebatch.remote;

import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.job.common.RequestClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Spring Batch Integration's {@link MessageChannelPartitionHandler} in its polling mode: it sends one request per
 * partition to the queue and then reads the partitions' state from the shared job repository until none is
 * running. Polling rather than aggregated replies: the reply mode correlates replies in memory (two runs at once
 * can mix their completions, spring-batch #4945), loses them if the manager restarts, and waits for a reply a
 * dead worker never sends; the repository is the truth either way.
 *
 * <p>While it waits, a watch beside it does two things Spring Batch leaves open. It advances the run's progress
 * from the partitions' committed counts. And it ends a wait that could last forever: when the queue has had no
 * consumer for longer than {@code license-batch.remote.no-worker-grace} and no worker holds any of the unfinished
 * partitions' claims, those partitions are marked FAILED, the step fails and the run exits 1; {@code restart}
 * sends the unfinished partitions again. A worker that dies is not such a case: the broker gives its
 * unacknowledged request to another worker, which resumes the partition from its outcomes.
 */
class RemotePartitionHandler extends MessageChannelPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private static final String COMMITTED = """
            select coalesce(sum(write_count), 0) from batch_step_execution
             where job_execution_id = ? and step_name like ?
            """;

    private final IntSupplier consumers;
    private final RequestClaims claims;
    private final PartitionPlan plan;
    private final ProgressMeter progress;
    private final JdbcTemplate jdbc;
    private final JobRepository jobRepository;
    private final Duration pollInterval;
    private final Duration noWorkerGrace;

    RemotePartitionHandler(IntSupplier consumers, RequestClaims claims, PartitionPlan plan, ProgressMeter progress,
            JdbcTemplate jdbc, JobRepository jobRepository, Duration pollInterval, Duration noWorkerGrace) {
        this.consumers = consumers;
        this.claims = claims;
        this.plan = plan;
        this.progress = progress;
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.pollInterval = pollInterval;
        this.noWorkerGrace = noWorkerGrace;
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
            throws Exception {
        if (partitions.isEmpty()) {
            return partitions;
        }
        log.atInfo().addKeyValue("execution", managerStepExecution.getJobExecutionId())
                .addKeyValue("partitions", partitions.size())
                .log("apply: {} partition(s) sent to the workers", partitions.size());
        Watch watch = new Watch(managerStepExecution, partitions.stream().map(StepExecution::getId).toList());
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "license-batch-partition-watch");
            thread.setDaemon(true);
            return thread;
        });
        long every = pollInterval.toMillis();
        watcher.scheduleWithFixedDelay(watch::check, every, every, TimeUnit.MILLISECONDS);
        try {
            return super.doHandle(managerStepExecution, partitions);
        } finally {
            watcher.shutdownNow();
            watch.advanceProgress();
        }
    }

    private final class Watch {
        private final StepExecution manager;
        private final List<Long> partitionIds;
        private final String workerSteps;
        private long lastCommitted;
        private long lastWorkerSeen = System.nanoTime();

        Watch(StepExecution manager, List<Long> partitionIds) {
            this.manager = manager;
            this.partitionIds = partitionIds;
            this.workerSteps = partitionIds.isEmpty() ? ""
                    : jobRepository.getStepExecution(partitionIds.get(0)).getStepName().replaceFirst(":.*", ":%");
            this.lastCommitted = committed();
        }

        void check() {
            try {
                advanceProgress();
                failIfNoWorkerIsLeft();
            } catch (RuntimeException e) {
                // A broker or database hiccup: the next check tries again; the partitions' state is in the repository.
                log.warn("watching the remote partitions: {}", e.toString());
            }
        }

        synchronized void advanceProgress() {
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

        private void failIfNoWorkerIsLeft() {
            long instance = manager.getJobExecution().getJobInstanceId();
            List<StepExecution> unfinished = partitionIds.stream().map(jobRepository::getStepExecution)
                    .filter(execution -> execution.getStatus().isRunning()).toList();
            if (unfinished.isEmpty()) {
                return;
            }
            boolean claimed = unfinished.stream()
                    .anyMatch(execution -> claims.isPartitionHeld(instance, position(instance, execution)));
            if (claimed || consumers.getAsInt() > 0) {
                lastWorkerSeen = System.nanoTime();
                return;
            }
            Duration without = Duration.ofNanos(System.nanoTime() - lastWorkerSeen);
            if (without.compareTo(noWorkerGrace) < 0) {
                if (without.toMillis() >= pollInterval.toMillis() && without.toSeconds() % 10 == 0) {
                    log.warn("apply: no worker consumes the partition queue ({} s now; the run fails after {} s):"
                            + " start `license-batch worker`", without.toSeconds(), noWorkerGrace.toSeconds());
                }
                return;
            }
            log.atError().addKeyValue("execution", manager.getJobExecutionId())
                    .addKeyValue("partitions", unfinished.size())
                    .log("apply: no worker for {} s: {} partition(s) nobody runs are marked FAILED; start workers"
                            + " and `license-batch restart {}` sends them again", without.toSeconds(),
                            unfinished.size(), manager.getJobExecutionId());
            for (StepExecution execution : unfinished) {
                execution.setStatus(BatchStatus.FAILED);
                execution.setExitStatus(ExitStatus.FAILED.addExitDescription("no worker took this partition within "
                        + noWorkerGrace.toSeconds() + " s (license-batch.remote.no-worker-grace)"));
                execution.setEndTime(LocalDateTime.now());
                jobRepository.update(execution);
            }
        }

        private int position(long instance, StepExecution execution) {
            return plan.range(instance, execution.getStepName()).position();
        }
    }
}
