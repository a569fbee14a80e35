package io.licensebatch.job.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts, restarts and stops jobs through Spring Batch's {@link JobOperator}. Every start and restart first
 * claims the request the job instance carries out ({@link RequestClaims}), before Spring Batch creates an
 * execution, and holds the claim until the run ends: so a second start or restart of the same instance is
 * refused at once (exit 3), and an execution left running whose claim is free is dead, whatever its status
 * says, and is recovered ({@link ExecutionRecovery}) before it is resumed.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int LAUNCH_ATTEMPTS = 8;
    private static final int ZOMBIE_WRITES = 5;

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final RequestClaims claims;
    private final ExecutionRecovery recovery;
    private final ExecutionOwnership ownership;
    private final JdbcTemplate jdbc;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, RequestClaims claims,
            ExecutionRecovery recovery, ExecutionOwnership ownership, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.claims = claims;
        this.recovery = recovery;
        this.ownership = ownership;
    }

    /**
     * Runs the job to its end in this thread. If these parameters name an instance that exists already, its
     * unfinished last execution is resumed (a dead one is recovered first), and a completed one is returned
     * as it is: the same request or night never runs twice.
     */
    public JobExecution run(Job job, JobParameters parameters) {
        long requestId = requestOf(parameters);
        try (RequestClaims.Claim claim = claimOrRefuse(requestId)) {
            JobInstance instance = jobRepository.getJobInstance(job.getName(), parameters);
            if (instance != null) {
                JobExecution last = jobRepository.getLastJobExecution(instance);
                if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                    log.info("{} instance {} already completed in execution {}: nothing to do", job.getName(),
                            instance.getInstanceId(), last.getId());
                    return last;
                }
                return launchRecovering(claim, instance, () -> jobOperator.start(job, parameters));
            }
            return launching(claim, () -> jobOperator.start(job, parameters));
        } catch (JobInstanceAlreadyCompleteException e) {
            throw new NothingToDoException(job.getName() + " with " + parameters + " has completed already");
        } catch (JobExecutionAlreadyRunningException | InvalidJobParametersException | JobRestartException e) {
            throw new IllegalStateException("cannot start " + job.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Resumes the instance of the given execution from its last checkpoint. */
    public JobExecution restart(long executionId) {
        JobExecution execution = find(executionId);
        long requestId = requestOf(execution.getJobParameters());
        try (RequestClaims.Claim claim = claimOrRefuse(requestId)) {
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
            return launchRecovering(claim, execution.getJobInstance(),
                    () -> jobOperator.restart(find(last.getId())));
        } catch (JobInstanceAlreadyCompleteException e) {
            throw new NothingToDoException("execution " + executionId + " has completed: nothing to restart");
        } catch (JobExecutionAlreadyRunningException | JobRestartException | InvalidJobParametersException e) {
            throw new IllegalStateException("cannot restart execution " + executionId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks a running execution, in whatever process (a worker's partitions too), to stop at its next chunk boundary:
     * the execution is marked STOPPING in the job repository, and every step notices when it saves its next chunk
     * (the repository then flags it to terminate, and the step ends STOPPED).
     *
     * <p>Neither {@code JobOperator.stop} nor {@code JobRepository.update} with the execution as read here: both
     * write a status read moments ago over the current one (an execution that has just completed would read
     * STOPPING), and the operator also saves the running steps' executions from this process, under the process
     * that runs them, whose next save of them then fails on its version and leaves the run UNKNOWN. One conditional
     * update does what they mean: STOPPING, only while the execution is still running, with a new version so that
     * the running process reads it ({@code synchronizeStatus}).
     */
    public JobExecution stop(long executionId) {
        JobExecution execution = find(executionId);
        if (!execution.isRunning()) {
            throw new NothingToDoException("execution " + executionId + " is not running (" + execution.getStatus()
                    + ")");
        }
        if (!isAlive(execution)) {
            throw new NothingToDoException("execution " + executionId + " is marked " + execution.getStatus()
                    + " but no process runs it (it was killed): `license-batch restart " + executionId
                    + "` resumes it");
        }
        if (!markStopping(jdbc, executionId)) {
            throw new NothingToDoException("execution " + executionId + " ended before it could be stopped ("
                    + find(executionId).getStatus() + ")");
        }
        return find(executionId);
    }

    /** STOPPING, if the execution is still running: the one write a stop makes (see {@link #stop}). */
    static boolean markStopping(JdbcTemplate jdbc, long executionId) {
        return jdbc.update(STOPPING, Timestamp.valueOf(LocalDateTime.now()), executionId) > 0;
    }

    private static final String STOPPING = """
            update batch_job_execution set status = 'STOPPING', version = version + 1, last_updated = ?
             where job_execution_id = ? and status in ('STARTING', 'STARTED')
            """;

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

    /** True when the execution is marked running (or UNKNOWN) and a live process holds its request's claim. */
    public boolean isAlive(JobExecution execution) {
        boolean unfinished = execution.isRunning() || execution.getStatus() == BatchStatus.UNKNOWN;
        return unfinished && claims.isHeldElsewhere(requestOf(execution.getJobParameters()));
    }

    /** Whether a live process holds the claim of this request (see {@link RequestClaims#isHeldElsewhere}). */
    public boolean isClaimed(long requestId) {
        return claims.isHeldElsewhere(requestId);
    }

    private RequestClaims.Claim claimOrRefuse(long requestId) {
        return claims.claim(requestId).orElseThrow(() -> new AlreadyRunningException("request " + requestId
                + " is being run right now by another process" + claims.holder(requestId).map(h -> " (" + h + ")")
                .orElse("") + "; not running it twice. `license-batch status` shows its execution and progress,"
                + " `license-batch stop EXECUTION` stops it at the next chunk boundary"));
    }

    /**
     * Holding the claim, nobody else runs the instance: whatever it left unfinished or UNKNOWN belongs to a
     * process that is gone (kill -9, a crash, a cut connection, a lost machine) and is marked FAILED.
     */
    private void recoverIfDead(JobInstance instance) {
        if (recovery.needsRecovery(instance)) {
            try {
                recovery.awaitWorkers(instance);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers' partitions of the run", e);
            }
            JobExecution last = jobRepository.getLastJobExecution(instance);
            String owner = last == null ? "an unknown process" : ownership.ownerOf(last.getId())
                    .orElse("an unknown process");
            recovery.recover(instance, owner);
        }
    }

    /**
     * Recovers what a dead run left, then launches. A process that lost its claim may still save its own
     * execution's last state after the recovery (Spring Batch writes a job execution whatever its version),
     * UNKNOWN over the FAILED just written; it can write no more than that, so the recovery is done again.
     */
    private JobExecution launchRecovering(RequestClaims.Claim claim, JobInstance instance, Launch launch)
            throws JobExecutionAlreadyRunningException, JobInstanceAlreadyCompleteException,
            InvalidJobParametersException, JobRestartException {
        for (int attempt = 1; ; attempt++) {
            recoverIfDead(instance);
            try {
                return launching(claim, launch);
            } catch (JobRestartException | JobExecutionAlreadyRunningException e) {
                if (attempt == ZOMBIE_WRITES || !recovery.needsRecovery(instance)) {
                    throw e;
                }
                log.warn("job instance {} was marked unfinished again by the process that lost its claim;"
                        + " recovering it again", instance.getInstanceId());
                pause(200);
            }
        }
    }

    private static long requestOf(JobParameters parameters) {
        Long request = parameters.getLong(JobParameterNames.REQUEST);
        if (request == null) {
            throw new IllegalStateException("job parameters " + parameters + " name no change request");
        }
        return request;
    }

    /** Something that creates a job execution, and may throw what Spring Batch's launch methods throw. */
    private interface Launch {
        JobExecution start() throws JobExecutionAlreadyRunningException, JobInstanceAlreadyCompleteException,
                InvalidJobParametersException, JobRestartException;
    }

    /**
     * Spring Batch creates an execution in a SERIALIZABLE transaction; on PostgreSQL two launches of different
     * instances at the same moment can fail to serialize ("could not serialize access"). Nothing was created
     * then: try again.
     */
    private JobExecution launching(RequestClaims.Claim claim, Launch launch)
            throws JobExecutionAlreadyRunningException, JobInstanceAlreadyCompleteException,
            InvalidJobParametersException, JobRestartException {
        ownership.claimedBy(claim);
        try {
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
        } finally {
            ownership.claimedBy(null);
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
}
