package io.licensebatch.job.upload;

import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/** Progress of the staging step: records staged of the file's, across its partitions and restarts. */
class StagingProgress implements StepExecutionListener {

    private final ProgressMeter meter;
    private final SelectionGateway selection;
    private final long records;

    StagingProgress(ProgressMeter meter, SelectionGateway selection, long records) {
        this.meter = meter;
        this.selection = selection;
        this.records = records;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        long alreadyStaged = selection.count(stepExecution.getJobExecution().getJobInstanceId());
        meter.start(stepExecution.getJobExecutionId(), "stage", "records", records, alreadyStaged);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        meter.finish(stepExecution.getJobExecutionId());
        return null;
    }
}
