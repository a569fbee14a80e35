package io.licensebatch.job.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts, restarts and stops jobs through Spring Batch's {@link JobOperator}, and tells a dead execution
 * (its process was killed) from a live one before touching it.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger("license-batch");
    private static final int LAUNCH_ATTEMPTS = 8;

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final InstanceLocks locks;
    private final ExecutionOwnership ownership;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, InstanceLocks locks,
            ExecutionOwnership ownership) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.locks = locks;
        this.ownership = ownership;
    }

    /**
     * Runs the job to its end in this thread. If these parameters name an instance that exists already, its
     * unfinished last execution is resumed (a dead one is recovered first), and a completed one is returned
     * as it is: the same request or night never runs twice.
     */
    public JobExecution run(Job job, JobParameters parameters) {
        JobInstance instance = jobRepository.getJobInstance(job.getName(), parameters);
        if (instance != null) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                log.info("{} instance {} already completed in execution {}: nothing to do", job.getName(),
                        instance.getInstanceId(), last.getId());
                return last;
            }
            if (last != null) {
                recoverIfDead(last);
            }
        }
        try {
            return claimed(launching(() -> jobOperator.start(job, parameters)));
        } catch (JobExecutionAlreadyRunningException e) {
            throw new AlreadyRunningException(job.getName() + " instance " + (instance == null ? "" : instance
                    .getInstanceId() + " ") + "is already running in another process; `license-batch status`"
                    + " shows its execution, `license-batch stop EXECUTION` stops it");
        } catch (JobInstanceAlreadyCompleteException e) {
            throw new NothingToDoException(job.getName() + " with " + parameters + " has completed already");
        } catch (InvalidJobParametersException | JobRestartException e) {
            throw new IllegalStateException("cannot start " + job.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Resumes the instance of the given execution from its last checkpoint. */
    public JobExecution restart(long executionId) {
        JobExecution execution = find(executionId);
        JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
        if (last.getId() != executionId) {
            log.info("execution {} was already restarted; resuming the instance's latest execution, {}",
                    executionId, last.getId());
        }
        if (last.getStatus() == BatchStatus.COMPLETED) {
            throw new NothingToDoException("execution " + last.getId() + " has completed: nothing to restart."
                    + " `license-batch retry-failed " + last.getId() + "` re-runs its failed learners.");
        }
        if (last.getStatus() == BatchStatus.ABANDONED) {
            throw new NothingToDoException("execution " + last.getId() + " was abandoned and cannot be restarted");
        }
        JobExecution restartable = recoverIfDead(last);
        try {
            return claimed(launching(() -> jobOperator.restart(restartable)));
        } catch (JobExecutionAlreadyRunningException e) {
            throw new AlreadyRunningException("execution " + last.getId() + " is being restarted by another process");
        } catch (JobInstanceAlreadyCompleteException e) {
            throw new NothingToDoException("execution " + last.getId() + " has completed: nothing to restart");
        } catch (JobRestartException | InvalidJobParametersException e) {
            throw new IllegalStateException("cannot restart execution " + last.getId() + ": " + e.getMessage(), e);
        }
    }

    /** Asks a running execution, in whatever process, to stop at its next chunk boundary. */
    public JobExecution stop(long executionId) {
        JobExecution execution = find(executionId);
        if (!execution.isRunning()) {
            throw new NothingToDoException("execution " + executionId + " is not running (" + execution.getStatus()
                    + ")");
        }
        if (!locks.isHeldElsewhere(execution.getJobInstanceId())) {
            throw new NothingToDoException("execution " + executionId + " is marked " + execution.getStatus()
                    + " but no process runs it (it was killed): `license-batch restart " + executionId
                    + "` resumes it");
        }
        try {
            jobOperator.stop(execution);
        } catch (JobExecutionNotRunningException e) {
            throw new NothingToDoException("execution " + executionId + " ended before it could be stopped");
        }
        return find(executionId);
    }

    /**
     * An execution that failed because another process held its instance (it lost a race to start the same
     * instance) is refused as already running, not reported as a failure to restart.
     */
    private static JobExecution claimed(JobExecution execution) {
        for (Throwable failure : execution.getAllFailureExceptions()) {
            if (failure instanceof AlreadyRunningException refused) {
                throw refused;
            }
        }
        return execution;
    }

    /** Something that creates a job execution, and may throw what Spring Batch's launch methods throw. */
    private interface Launch {
        JobExecution start() throws JobExecutionAlreadyRunningException, JobInstanceAlreadyCompleteException,
                InvalidJobParametersException, JobRestartException;
    }

    /**
     * Spring Batch creates an execution in a SERIALIZABLE transaction; on PostgreSQL two launches at the same
     * moment can fail to serialize ("could not serialize access"). Nothing was created then: try again.
     */
    private static JobExecution launching(Launch launch) throws JobExecutionAlreadyRunningException,
            JobInstanceAlreadyCompleteException, InvalidJobParametersException, JobRestartException {
        for (int attempt = 1; ; attempt++) {
            try {
                return launch.start();
            } catch (TransientDataAccessException e) {
                if (attempt == LAUNCH_ATTEMPTS) {
                    throw e;
                }
                log.debug("launch attempt {} did not serialize, trying again: {}", attempt, e.getMessage());
                pause(ThreadLocalRandom.current().nextLong(20, 100) * attempt);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while launching a job", e);
        }
    }

    public JobExecution find(long executionId) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(executionId);
        } catch (EmptyResultDataAccessException e) {
            // Spring Batch 6.0.6's JDBC DAO throws here instead of returning null
            execution = null;
        }
        if (execution == null) {
            throw new NothingToDoException("no execution " + executionId + " (`license-batch status` lists them)");
        }
        return execution;
    }

    /** True when the execution is marked running and a live process holds it. */
    public boolean isAlive(JobExecution execution) {
        return execution.isRunning() && locks.isHeldElsewhere(execution.getJobInstanceId());
    }

    /**
     * An execution marked running whose process is gone (kill -9, a crash, a lost machine) is marked
     * FAILED so that it can be restarted; a live one is refused.
     */
    private JobExecution recoverIfDead(JobExecution execution) {
        if (!execution.isRunning() && execution.getStatus() != BatchStatus.UNKNOWN) {
            return execution;
        }
        String owner = ownership.ownerOf(execution.getId()).orElse("an unknown process");
        if (locks.isHeldElsewhere(execution.getJobInstanceId())) {
            throw new AlreadyRunningException("execution " + execution.getId() + " is running (" + owner
                    + "); `license-batch stop " + execution.getId() + "` stops it at the next chunk boundary");
        }
        if (ownership.mayBeStarting(execution)) {
            throw new AlreadyRunningException("execution " + execution.getId() + " was created moments ago and"
                    + " is still starting in another process; `license-batch status " + execution.getId()
                    + "` shows it once it runs");
        }
        log.warn("execution {} was left {} by {}, which is gone: recovering it as FAILED", execution.getId(),
                execution.getStatus(), owner);
        jobOperator.recover(execution);
        return find(execution.getId());
    }
}
