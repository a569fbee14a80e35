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
 */
@Component
public class ExecutionRecovery {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRecovery.class);

    private final JobRepository jobRepository;

    public ExecutionRecovery(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
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
     * Marks what the dead run left unfinished FAILED; returns how many executions and step executions it
     * marked. Refuses (exit 3) if something else updates them at the same time: then it is not dead.
     *
     * @param owner the process that ran it, in words ("pid 1234 on host x")
     */
    public int recover(JobInstance instance, String owner) {
        String why = "recovered: " + owner + ", which ran it, is gone or lost its database connection";
        int marked = 0;
        LocalDateTime now = LocalDateTime.now();
        try {
            for (JobExecution execution : jobRepository.getJobExecutions(instance)) {
                for (StepExecution step : execution.getStepExecutions()) {
                    if (unfinished(step.getStatus())) {
                        log.debug("recovering step execution {} ({}, {})", step.getId(), step.getStepName(),
                                step.getStatus());
                        step.setStatus(BatchStatus.FAILED);
                        step.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
                        step.setEndTime(now);
                        jobRepository.update(step);
                        marked++;
                    }
                }
                if (unfinished(execution.getStatus())) {
                    log.warn("execution {} was left {} by {}, which is gone or lost its database connection:"
                            + " recovering it as FAILED", execution.getId(), execution.getStatus(), owner);
                    execution.setStatus(BatchStatus.FAILED);
                    execution.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
                    execution.setEndTime(now);
                    jobRepository.update(execution);
                    marked++;
                }
            }
        } catch (OptimisticLockingFailureException e) {
            throw new AlreadyRunningException("job instance " + instance.getInstanceId() + " is being updated by"
                    + " another process while it was being recovered: it is not dead. `license-batch status` shows"
                    + " who runs it");
        }
        return marked;
    }

    private static boolean unfinished(BatchStatus status) {
        return status.isRunning() || status == BatchStatus.UNKNOWN;
    }
}
