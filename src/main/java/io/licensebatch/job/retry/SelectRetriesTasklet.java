package io.licensebatch.job.retry;

import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The selection of a retry: the source run's learners with a FAILED outcome or a retryable rejection
 * (NO_SEATS, CHANGED_CONCURRENTLY), with the targets the source asked for, in one transaction. Their
 * outcomes name the run they retry.
 */
class SelectRetriesTasklet extends SelectionTasklet {

    private final ChangeRequestGateway requests;
    private final SelectionGateway selection;
    private final JobRepository jobRepository;

    SelectRetriesTasklet(ChangeRequestGateway requests, SelectionGateway selection, SelectionCompletion completion,
            JobRepository jobRepository) {
        super(completion);
        this.requests = requests;
        this.selection = selection;
        this.jobRepository = jobRepository;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        JobExecution source = jobRepository.getJobExecution(request(requests, parameters).sourceExecutionId());
        int selected = selection.insertRetries(jobInstanceId, source.getJobInstanceId(), source.getId());
        return new Selected(selected, selection.orgIds(jobInstanceId));
    }
}
