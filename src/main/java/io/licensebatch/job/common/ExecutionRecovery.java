package io.licensebatch.job.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a dead run restartable: every execution of its instance, and every step execution of those, that a
 * killed process or a cut connection left unfinished (STARTING, STARTED, STOPPING) or UNKNOWN is marked
 * FAILED. Only ever called while holding the request's claim ({@link RequestClaims}), so nobody runs it.
 *
 * <p>Spring Batch's own {@code JobOperator.recover} does less: it refuses an execution left UNKNOWN (a commit
 * whose outcome it could not tell), leaves UNKNOWN step executions as they are, and looks at the last
 * execution only; Spring Batch then refuses to restart any instance with such an execution or step. For
 * license-batch an UNKNOWN chunk is not a danger: its outcome rows (and staged rows) are the process
 * indicator, committed with the chunk's changes, so a resumed step reads past whatever did commit.
 *
 * <p>Each update bumps the execution's version: a process that lost its claim but still runs cannot commit
 * another chunk of those executions (each chunk's commit checks the version).
 *
 * <p>Except a partition that a worker process runs right now ({@code --workers remote}: the worker holds its
 * range's claim, {@link RequestClaims#claimPartition}): its manager died, not its worker, which goes on and ends
 * it. Marking it FAILED under the worker would fail the worker's next commit and leave the partition UNKNOWN;
 * so it is left as it is, and a restart waits for it to end ({@link #awaitWorkers}), then resumes the range from
 * its outcomes.
 */
@Component
public class ExecutionRecovery {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRecovery.class);

    private final JobRepository jobRepository;
    private final RequestClaims claims;
    private final PartitionPlan plan;

    public ExecutionRecovery(JobRepository jobRepository, RequestClaims claims, PartitionPlan plan) {
        this.jobRepository = jobRepository;
        this.claims = claims;
        this.plan = plan;
    }

    /** True when some execution or step execution of the instance is unfinished or UNKNOWN. */
    public boolean needsRecovery(JobInstance instance) {
        for (JobExecution execution : jobRepository.getJobExecutions(instance)) {
            if (unfinished(execution.getStatus())
                    || execution.getStepExecutions().stream().anyMatch(step -> unfinished(step.getStatus()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits while worker processes still run partitions of the dead run (its manager died, they did not): Spring
     * Batch restarts no execution with a step still running, and those partitions end by themselves. A worker that
     * dies meanwhile gives its range's claim up, and its partition is recovered like the rest.
     */
    public void awaitWorkers(JobInstance instance) throws InterruptedException {
        long since = System.nanoTime();
        long lastSaid = 0;
        int running;
        while ((running = runningOnWorkers(instance)) > 0) {
            long waited = (System.nanoTime() - since) / 1_000_000_000L;
            if (lastSaid == 0 || waited - lastSaid >= 10) {
                log.info("waiting for {} partition(s) of this run that workers still run (their manager is gone;"
                        + " they end by themselves, or at once with `license-batch stop`), {} s so far", running,
                        waited);
                lastSaid = Math.max(1, waited);
            }
            Thread.sleep(500);
        }
    }

    private int runningOnWorkers(JobInstance instance) {
        List<JobExecution> executions = jobRepository.getJobExecutions(instance);
        Set<String> onWorkers = onWorkers(instance, executions);
        int running = 0;
        for (JobExecution execution : executions) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (step.getStatus().isRunning() && onWorkers.contains(step.getStepName())) {
                    running++;
                }
            }
        }
        return running;
    }

    /**
     * The partitions (by step name) of planned ranges whose claims a live session holds: workers run them. One
     * read of the claims, and one of the plan per worker step that has running partitions.
     */
    private Set<String> onWorkers(JobInstance instance, List<JobExecution> executions) {
        Set<Integer> held = claims.heldPartitions(instance.getInstanceId());
        Set<String> onWorkers = new HashSet<>();
        if (held.isEmpty()) {
            return onWorkers;
        }
        executions.stream().flatMap(execution -> execution.getStepExecutions().stream())
                .filter(step -> step.getStatus().isRunning() && step.getStepName().indexOf(':') > 0)
                .map(step -> step.getStepName().substring(0, step.getStepName().indexOf(':')))
                .distinct()
                .forEach(workerStep -> plan.ranges(instance.getInstanceId(), workerStep).stream()
                        .filter(range -> held.contains(range.position()))
                        .forEach(range -> onWorkers.add(range.stepName())));
        return onWorkers;
    }

    /**
     * Marks what the dead run left unfinished FAILED; returns how many executions and step executions it
     * marked. The caller holds the claim: a process that still runs a chunk of these executions has lost it,
     * and the version check of its next commit stops it; if such a commit lands between this reading an
     * execution and updating it, the execution is read again and marked again.
     *
     * @param owner the process that ran it, in words ("pid 1234 on host x")
     */
    public int recover(JobInstance instance, String owner) {
        String why = "recovered: " + owner + ", which ran it, is gone or lost its database connection";
        int marked = 0;
        LocalDateTime now = LocalDateTime.now();
        List<JobExecution> executions = jobRepository.getJobExecutions(instance);
        Set<String> onWorkers = onWorkers(instance, executions);
        for (JobExecution execution : executions) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (!unfinished(step.getStatus())) {
                    continue;
                }
                if (step.getStatus().isRunning() && onWorkers.contains(step.getStepName())) {
                    log.info("step execution {} ({}) runs on a worker right now: left to it", step.getId(),
                            step.getStepName());
                    continue;
                }
                markFailed(step.getId(), execution.getId(), why, now);
                marked++;
            }
            if (unfinished(execution.getStatus())) {
                log.warn("execution {} was left {} by {}, which is gone or lost its database connection:"
                        + " recovering it as FAILED", execution.getId(), execution.getStatus(), owner);
                for (int attempt = 1; ; attempt++) {
                    JobExecution current = jobRepository.getJobExecution(execution.getId());
                    current.setStatus(BatchStatus.FAILED);
                    current.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
                    current.setEndTime(now);
                    try {
                        jobRepository.update(current);
                        break;
                    } catch (OptimisticLockingFailureException e) {
                        giveUpAfter(attempt, e);
                    }
                }
                marked++;
            }
        }
        return marked;
    }

    private void markFailed(long stepExecutionId, long jobExecutionId, String why, LocalDateTime now) {
        for (int attempt = 1; ; attempt++) {
            StepExecution step = jobRepository.getStepExecution(jobExecutionId, stepExecutionId);
            if (step == null || !unfinished(step.getStatus())) {
                return;
            }
            log.debug("recovering step execution {} ({}, {})", step.getId(), step.getStepName(), step.getStatus());
            step.setStatus(BatchStatus.FAILED);
            step.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
            step.setEndTime(now);
            try {
                jobRepository.update(step);
                return;
            } catch (OptimisticLockingFailureException e) {
                giveUpAfter(attempt, e);
            }
        }
    }

    /** A chunk of a process that lost its claim committed in between: read again, up to a point. */
    private static void giveUpAfter(int attempt, OptimisticLockingFailureException e) {
        if (attempt >= 20) {
            throw new AlreadyRunningException("the run is still being updated by another process while it was being"
                    + " recovered (" + e.getMessage() + "): it is not dead. `license-batch status` shows who runs it");
        }
    }

    private static boolean unfinished(BatchStatus status) {
        return status.isRunning() || status == BatchStatus.UNKNOWN;
    }
}
