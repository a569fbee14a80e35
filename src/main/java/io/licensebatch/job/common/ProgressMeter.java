package io.licensebatch.job.common;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.console.Numbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Prints how far a long step is, at most every {@code license-batch.progress-interval}: done of total,
 * rate and ETA. Partitions of one step report into the same meter, keyed by job execution.
 */
@Component
public class ProgressMeter {

    private static final Logger log = LoggerFactory.getLogger(ProgressMeter.class);

    private final Map<Long, Progress> running = new ConcurrentHashMap<>();
    private final long intervalNanos;

    public ProgressMeter(LicenseBatchProperties properties) {
        this.intervalNanos = properties.progressInterval().toNanos();
    }

    /** Starts measuring; {@code alreadyDone} counts work an earlier execution finished (restarts). */
    public void start(long jobExecutionId, String step, String unit, long total, long alreadyDone) {
        running.put(jobExecutionId, new Progress(jobExecutionId, step, unit, total, alreadyDone, System.nanoTime()));
        if (total == 0) {
            log.atInfo().addKeyValue("execution", jobExecutionId).addKeyValue("step", step).addKeyValue("total", 0)
                    .log("{}: nothing to do (no {})", step, unit);
            return;
        }
        log.atInfo().addKeyValue("execution", jobExecutionId).addKeyValue("step", step)
                .addKeyValue("total", total).addKeyValue("done", alreadyDone)
                .log("{}: {} to do{}", step, Numbers.count(total - alreadyDone) + " " + unit(unit, total - alreadyDone),
                        alreadyDone > 0 ? " (" + Numbers.count(alreadyDone) + " done before the restart)" : "");
    }

    public void advance(long jobExecutionId, long items) {
        Progress progress = running.get(jobExecutionId);
        if (progress != null) {
            progress.advance(items);
        }
    }

    /** Prints the last line and stops measuring. */
    public void finish(long jobExecutionId) {
        Progress progress = running.remove(jobExecutionId);
        if (progress != null && progress.total > 0) {
            progress.log();
        }
    }

    /** "learners", or "learner" for one (units are given in the plural). */
    private static String unit(String unit, long n) {
        return n == 1 && unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    }

    /**
     * For a (manager) step: starts this meter before the step, with its total and what earlier executions
     * did already (both read from the step's execution), and prints the last line after it.
     */
    public StepExecutionListener stepListener(String step, String unit, ToLongFunction<StepExecution> total,
            ToLongFunction<StepExecution> alreadyDone) {
        return new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                start(stepExecution.getJobExecutionId(), step, unit, total.applyAsLong(stepExecution),
                        alreadyDone.applyAsLong(stepExecution));
            }

            @Override
            public ExitStatus afterStep(StepExecution stepExecution) {
                finish(stepExecution.getJobExecutionId());
                return null;
            }
        };
    }

    private final class Progress {
        private final long jobExecutionId;
        private final String step;
        private final String unit;
        private final long total;
        private final long alreadyDone;
        private final long startNanos;
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong lastPrintNanos;

        Progress(long jobExecutionId, String step, String unit, long total, long alreadyDone, long startNanos) {
            this.jobExecutionId = jobExecutionId;
            this.step = step;
            this.unit = unit;
            this.total = total;
            this.alreadyDone = alreadyDone;
            this.startNanos = startNanos;
            this.lastPrintNanos = new AtomicLong(startNanos);
        }

        void advance(long items) {
            done.addAndGet(items);
            long now = System.nanoTime();
            long last = lastPrintNanos.get();
            if (now - last >= intervalNanos && lastPrintNanos.compareAndSet(last, now)) {
                log();
            }
        }

        /** Done of total, rate and ETA: in words, and as fields for structured logs. */
        void log() {
            long doneNow = done.get();
            long all = alreadyDone + doneNow;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            double perSecond = elapsed.toMillis() == 0 ? 0 : doneNow * 1000.0 / elapsed.toMillis();
            log.atInfo().addKeyValue("execution", jobExecutionId).addKeyValue("step", step)
                    .addKeyValue("done", all).addKeyValue("total", total)
                    .addKeyValue("rate_per_second", Math.round(perSecond))
                    .log("{}: {} of {} ({}), {}, ETA {}", step, Numbers.count(all), Numbers.count(total) + " "
                                    + unit(unit, total), Numbers.percent(all, total), Numbers.rate(doneNow, elapsed),
                            Numbers.eta(doneNow, total - alreadyDone, elapsed));
        }
    }
}
