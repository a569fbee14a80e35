package io.licensebatch.job.retry;

import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The selection of a retry: the source run's learners with a FAILED outcome or a retryable rejection
 * (NO_SEATS, CHANGED_CONCURRENTLY), with the targets the source asked for, in one transaction. Their
 * outcomes name the run they retry.
 */
class SelectRetriesTasklet implements Tasklet {

    private final ChangeRequestGateway requests;
    private final SelectionGateway selection;
    private final SelectionCompletion completion;
    private final JobRepository jobRepository;

    SelectRetriesTasklet(ChangeRequestGateway requests, SelectionGateway selection, SelectionCompletion completion,
            JobRepository jobRepository) {
        this.requests = requests;
        this.selection = selection;
        this.completion = completion;
        this.jobRepository = jobRepository;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = contribution.getStepExecution().getJobExecution().getJobInstanceId();
        if (completion.isComplete(jobInstanceId)) {
            return RepeatStatus.FINISHED;
        }
        long requestId = contribution.getStepExecution().getJobParameters().getLong(JobParameterNames.REQUEST);
        ChangeRequest request = requests.find(requestId)
                .orElseThrow(() -> new IllegalStateException("no change request " + requestId));
        JobExecution source = jobRepository.getJobExecution(request.sourceExecutionId());
        int selected = selection.insertRetries(jobInstanceId, source.getJobInstanceId(), source.getId());
        contribution.incrementWriteCount(selected);
        completion.complete(jobInstanceId, selection.orgIds(jobInstanceId));
        return RepeatStatus.FINISHED;
    }
}
