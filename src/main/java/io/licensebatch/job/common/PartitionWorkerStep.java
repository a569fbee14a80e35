package io.licensebatch.job.common;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * The worker of a partitioned step: each partition's execution runs a chunk step of its own, with a reader,
 * processor and writer made for that execution (its range, the job's parameters). They are plain objects
 * rather than step-scoped beans because a reader and a processor are called once per item, and a scoped
 * proxy looks its target up in the bean factory and calls it by reflection every time (about a tenth of the
 * JVM's CPU in a large run).
 */
public abstract class PartitionWorkerStep implements Step {

    private final String name;

    protected PartitionWorkerStep(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        chunkStep(stepExecution).execute(stepExecution);
    }

    /** The chunk step for one partition's execution, named as this step. */
    protected abstract Step chunkStep(StepExecution stepExecution);
}
