package io.licensebatch.cli;

import io.licensebatch.request.RequestKind;
import picocli.CommandLine.Command;

@Command(name = "retry-failed", header = "Run again over another run's FAILED and retryable learners.", mixinStandardHelpOptions = true,
        description = {"A new run over another run's FAILED learners and retryable rejections (NO_SEATS,",
                "CHANGED_CONCURRENTLY), with the targets that run asked for: e.g. after seats were added to a full",
                "pool (`license-batch pools set`). Its outcomes name the run they retry. (To resume a run that",
                "failed or stopped midway, use `restart`.)"})
class RetryFailedCommand extends FollowUpCommand {

    @Override
    RequestKind kind() {
        return RequestKind.RETRY_FAILED;
    }
}
