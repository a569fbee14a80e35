package io.licensebatch.cli;

import io.licensebatch.job.common.AlreadyRunningException;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.selection.RequestKind;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import picocli.CommandLine.Command;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = {"A new run that puts every learner another run changed back on the license type they had",
                "before it (or back to no license), where they are still on what that run gave them; the others",
                "get REJECTED CHANGED_SINCE. Usage recorded in between stays where it happened. An undo can be",
                "restarted, retried and undone like any run."})
class UndoCommand extends FollowUpCommand {

    @Override
    RequestKind kind() {
        return RequestKind.UNDO;
    }

    @Override
    String jobName() {
        return "undoJob";
    }

    @Override
    void check(JobExecution source, AppContext app) {
        JobExecution last = app.bean(JobRepository.class).getLastJobExecution(source.getJobInstance());
        if (app.bean(JobRunner.class).isAlive(last)) {
            throw new AlreadyRunningException("execution " + last.getId() + " is running: stop it first"
                    + " (`license-batch stop " + last.getId() + "`), then undo it");
        }
        if (last.getStatus() != BatchStatus.COMPLETED) {
            out().printf("Execution %d is %s: undoing the changes it made so far. Restarting it afterwards would"
                    + " apply its remaining learners again.%n", last.getId(), last.getStatus());
        }
    }

    @Override
    long learners(JobExecution source, AppContext app) {
        return app.bean(SelectionGateway.class).countChanged(source.getJobInstanceId());
    }
}
