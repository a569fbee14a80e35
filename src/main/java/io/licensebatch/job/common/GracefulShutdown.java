package io.licensebatch.job.common;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.jvm.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SIGTERM (a scheduler, Kubernetes, Ctrl-C) stops a running job at the next chunk boundary, leaving it
 * {@code STOPPED} with a correct checkpoint, so that {@code restart} resumes with nothing skipped or
 * repeated; the process then ends with exit code 1 and the run's last line ({@link Signals}).
 *
 * <p>Spring Batch's {@code JobExecutionShutdownHook} calls {@code JobOperator.stop()}, which closes the
 * step-scoped reader from the signal's thread and can save a zeroed checkpoint; it also races Boot's own
 * shutdown hook, which closes the connection pool. Instead, the signal only marks the running execution as
 * stopping (no step starts after that) and flags its running step executions (each notices at its next chunk
 * boundary), again and again until the job has ended, so that a partition started a moment later is flagged
 * too. The job's own thread ends it and saves it STOPPED.
 */
@Component
public class GracefulShutdown implements JobExecutionListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();
    private final Runnable unregister;
    private final JdbcTemplate jdbc;
    private final boolean remoteWorkers;

    public GracefulShutdown(LicenseBatchProperties properties, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.remoteWorkers = properties.workers() == LicenseBatchProperties.Workers.REMOTE;
        this.unregister = Signals.onStop(this::stopRunningJobs, properties.shutdownWait());
    }

    @Override
    public void beforeJob(JobExecution execution) {
        running.add(execution);
    }

    @Override
    public void afterJob(JobExecution execution) {
        running.remove(execution);
    }

    @Override
    public void destroy() {
        unregister.run();
    }

    private void stopRunningJobs() {
        if (running.isEmpty()) {
            return;
        }
        for (JobExecution execution : running) {
            log.warn("Shutting down: execution {} stops after its current chunk (restart it with `{}`)",
                    execution.getId(), FailureCause.restart(execution.getId(), remoteWorkers));
            if (remoteWorkers) {
                // Its partitions run in worker processes: they learn of the stop from the repository, as from `stop`.
                JobRunner.markStopping(jdbc, execution.getId());
            }
        }
        Thread flagger = new Thread(() -> {
            while (!running.isEmpty()) {
                running.forEach(GracefulShutdown::stop);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "license-batch-stop-flags");
        flagger.setDaemon(true);
        flagger.start();
    }

    private static void stop(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.STARTED || execution.getStatus() == BatchStatus.STARTING) {
            execution.setStatus(BatchStatus.STOPPING);
        }
        execution.getStepExecutions().forEach(StepExecution::setTerminateOnly);
    }
}
