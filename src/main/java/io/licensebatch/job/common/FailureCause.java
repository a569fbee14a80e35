package io.licensebatch.job.common;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Why a run failed, in one line a person can act on, and what to do next that can work: Spring Batch keeps a
 * failure as the stack trace in the exit description of the step that failed (a partition's, when the apply
 * step failed because one of its partitions did), behind wrappers that say nothing ("Partition handler
 * returned an unsuccessful step", an ExecutionException). The cause is the innermost exception's message.
 *
 * @param step    the step whose failure it is
 * @param message the innermost exception's message, first line
 * @param command a next step that can work: a restart only where the cause is not bound to repeat itself
 * @param why     what that step does, and why it is the one
 */
public record FailureCause(String step, String message, String command, String why) {

    private static final String UNSUCCESSFUL_PARTITION = "Partition handler returned an unsuccessful step";

    /** The cause of an execution that FAILED, if it says one. */
    public static Optional<FailureCause> of(JobExecution execution) {
        return of(execution, false);
    }

    /**
     * The cause of an execution that FAILED, if it says one, with a next step for a run whose apply step ran on
     * remote workers ({@code --workers remote}) when it did: a restart without the option would run it locally.
     */
    public static Optional<FailureCause> of(JobExecution execution, boolean remoteWorkers) {
        List<StepExecution> failed = execution.getStepExecutions().stream()
                .filter(step -> step.getStatus() == BatchStatus.FAILED)
                .filter(step -> description(step) != null && !description(step).contains(UNSUCCESSFUL_PARTITION))
                .sorted(Comparator.comparing(StepExecution::getId))
                .toList();
        if (!failed.isEmpty()) {
            StepExecution step = failed.get(0);
            return Optional.of(of(step.getStepName(), description(step), execution.getId(), remoteWorkers));
        }
        String description = execution.getExitStatus().getExitDescription();
        return description == null || description.isBlank() ? Optional.empty()
                : Optional.of(of("the job", description, execution.getId(), remoteWorkers));
    }

    static FailureCause of(String step, String stackTrace, long executionId) {
        return of(step, stackTrace, executionId, false);
    }

    private static FailureCause of(String step, String stackTrace, long executionId, boolean remoteWorkers) {
        String message = innermost(stackTrace);
        String[] next = next(message, executionId, remoteWorkers);
        return new FailureCause(step, message, next[0], next[1]);
    }

    /** The command that resumes an execution: with its remote workers, if its apply step ran on them. */
    public static String restart(long executionId, boolean remoteWorkers) {
        return "license-batch restart " + executionId + (remoteWorkers ? " --workers remote" : "");
    }

    /** The next step in one line: the command, then why in parentheses. */
    public String next() {
        return command + "   (" + why + ")";
    }

    /** The message of the innermost exception of a stack trace: the last "Caused by:", else the first line. */
    public static String innermost(String stackTrace) {
        List<String> lines = stackTrace.lines().map(String::strip).toList();
        String cause = lines.isEmpty() ? "" : lines.get(0);
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        // "org.example.SomeException: what happened" -> "what happened" (also when one wraps another)
        while (cause.matches("^[a-zA-Z_$][\\w$]*(\\.[\\w$]+)+: .*")) {
            cause = cause.substring(cause.indexOf(": ") + 2);
        }
        return cause.length() > 400 ? cause.substring(0, 400) + "..." : cause;
    }

    private static String[] next(String message, long executionId, boolean remoteWorkers) {
        if (message.contains("changed since the upload was accepted")) {
            return new String[] {"license-batch reassign|revoke --org ORG --csv FILE", "upload the file again, as a"
                    + " new request: a restart would read the changed file and fail the same way"};
        }
        if (message.contains("changed since this night's run started")) {
            return new String[] {"license-batch reorganise --rules FILE --date DATE", "start the reorganisation"
                    + " again: a changed rules file is a new night's run"};
        }
        if (message.startsWith("no change request")) {
            return new String[] {"license-batch status", "this execution has no request to carry out: start the"
                    + " change again as a new request"};
        }
        return new String[] {restart(executionId, remoteWorkers), "resumes from the last checkpoint, once the cause"
                + " is fixed"};
    }

    private static String description(StepExecution step) {
        return step.getExitStatus().getExitDescription();
    }
}
