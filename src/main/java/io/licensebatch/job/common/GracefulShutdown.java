package io.licensebatch.job.common;

import io.licensebatch.config.LicenseBatchProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SIGTERM (a scheduler, Kubernetes, Ctrl-C) stops a running job at the next chunk boundary, leaving it
 * {@code STOPPED} with a correct checkpoint, so that {@code restart} resumes with nothing skipped or
 * repeated.
 *
 * <p>Spring Batch's {@code JobExecutionShutdownHook} calls {@code JobOperator.stop()}, which closes the
 * step-scoped reader from the signal's thread and can save a zeroed checkpoint; it also races Boot's own
 * shutdown hook, which closes the connection pool. Instead, when the context starts closing, this only
 * flags the running step executions (the step notices at its next chunk boundary) and waits until the job
 * has ended, before the pool goes away.
 */
@Component
public class GracefulShutdown implements JobExecutionListener, ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger("license-batch");

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();
    private final Duration maxWait;

    public GracefulShutdown(LicenseBatchProperties properties) {
        this.maxWait = properties.shutdownWait();
    }

    @Override
    public void beforeJob(JobExecution execution) {
        running.add(execution);
    }

    @Override
    public void afterJob(JobExecution execution) {
        synchronized (running) {
            running.remove(execution);
            running.notifyAll();
        }
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (running.isEmpty()) {
            return;
        }
        for (JobExecution execution : running) {
            log.warn("Shutting down: execution {} stops after its current chunk (restart it with"
                    + " `license-batch restart {}`)", execution.getId(), execution.getId());
            execution.getStepExecutions().forEach(StepExecution::setTerminateOnly);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (running) {
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                try {
                    running.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                running.forEach(execution -> execution.getStepExecutions().forEach(StepExecution::setTerminateOnly));
            }
        }
        if (!running.isEmpty()) {
            log.warn("Shutting down before the running chunk committed: it rolls back, and `restart` resumes"
                    + " from the last checkpoint");
        }
    }
}
