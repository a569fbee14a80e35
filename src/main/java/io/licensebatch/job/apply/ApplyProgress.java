package io.licensebatch.job.apply;

import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.SelectionCounts;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Progress of the apply step: the manager step starts and finishes the meter (total = the selection,
 * already done = items with an outcome), and every partition's committed chunk advances it.
 */
class ApplyProgress {

    private final ProgressMeter meter;
    private final SelectionCounts selection;
    private final OutcomeGateway outcomes;

    ApplyProgress(ProgressMeter meter, SelectionCounts selection, OutcomeGateway outcomes) {
        this.meter = meter;
        this.selection = selection;
        this.outcomes = outcomes;
    }

    /** The listener for the manager step. */
    StepExecutionListener step() {
        return meter.stepListener("apply", "learners", stepExecution -> {
            long instanceId = stepExecution.getJobExecution().getJobInstanceId();
            return selection.taken(instanceId).orElseGet(() -> selection.count(instanceId));
        }, stepExecution -> outcomes.count(stepExecution.getJobExecution().getJobInstanceId()));
    }

    /** The listener for the partition steps: each committed chunk advances the meter. */
    ChunkListener<Object, Object> chunks() {
        return new ChunkListener<>() {
            @Override
            public void afterChunk(Chunk<Object> chunk) {
                StepContext context = StepSynchronizationManager.getContext();
                if (context != null) {
                    meter.advance(context.getStepExecution().getJobExecutionId(), chunk.size());
                }
            }
        };
    }
}
