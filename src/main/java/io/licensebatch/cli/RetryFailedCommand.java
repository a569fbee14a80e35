package io.licensebatch.cli;

import io.licensebatch.selection.RequestKind;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import picocli.CommandLine.Command;

@Command(name = "retry-failed", mixinStandardHelpOptions = true,
        description = {"A new run over another run's FAILED learners and retryable rejections (NO_SEATS,",
                "CHANGED_CONCURRENTLY), with the targets that run asked for: e.g. after seats were added to a full",
                "pool. Its outcomes name the run they retry. (To resume a run that failed or stopped midway, use",
                "`restart`.)"})
class RetryFailedCommand extends FollowUpCommand {

    @Override
    RequestKind kind() {
        return RequestKind.RETRY_FAILED;
    }

    @Override
    String jobName() {
        return "retryFailedJob";
    }

    @Override
    void check(JobExecution source, AppContext app) {
        JobExecution last = app.bean(JobRepository.class).getLastJobExecution(source.getJobInstance());
        if (last.getStatus() != BatchStatus.COMPLETED) {
            throw new UsageException("execution " + last.getId() + " has not completed (" + last.getStatus()
                    + "): finish it first with `license-batch restart " + last.getId() + "`, then retry what failed");
        }
    }

    @Override
    long learners(JobExecution source, AppContext app) {
        return app.bean(SelectionGateway.class).countRetryable(source.getJobInstanceId());
    }
}
