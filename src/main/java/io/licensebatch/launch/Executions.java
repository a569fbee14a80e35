package io.licensebatch.launch;

import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.job.common.MassChangeGuard;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one place that tells what state an execution is in, for every command that needs to know: running in a
 * live process, or left running by a dead one; blocked by the mass-change guard; stopped, failed, completed.
 * Whether a process is alive is its request's claim ({@code RequestClaims}), never a timer or a status column.
 */
@Component
public class Executions {

    private final JobRunner runner;
    private final JobRepository jobRepository;
    private final ChangeRequestGateway requests;

    public Executions(JobRunner runner, JobRepository jobRepository, ChangeRequestGateway requests) {
        this.runner = runner;
        this.jobRepository = jobRepository;
        this.requests = requests;
    }

    /** An execution's state, as an operator reads it. */
    public enum State {
        /** Running, in a live process. */
        RUNNING,
        /** Marked running (or UNKNOWN), but the process that ran it is gone: {@code restart} resumes it. */
        DEAD,
        /** Stopped by the mass-change guard before anything changed. */
        BLOCKED,
        STOPPED,
        FAILED,
        COMPLETED,
        ABANDONED;

        public boolean isOver() {
            return this != RUNNING && this != DEAD;
        }
    }

    /** The execution with this id; refused (exit 2) when there is none. */
    public JobExecution find(long executionId) {
        return runner.find(executionId);
    }

    public State state(JobExecution execution) {
        return state(execution.getStatus().name(), MassChangeGuard.blockedReport(execution).isPresent(),
                () -> runner.isAlive(execution));
    }

    /**
     * The state of an execution with this Spring Batch status: whether the guard stopped it, and (asked only of
     * an unfinished one) whether a live process runs it.
     */
    public static State state(String batchStatus, boolean blocked, BooleanSupplier alive) {
        BatchStatus status = BatchStatus.valueOf(batchStatus);
        if (status.isRunning() || status == BatchStatus.UNKNOWN) {
            return alive.getAsBoolean() ? State.RUNNING : State.DEAD;
        }
        return switch (status) {
            case STOPPED -> blocked ? State.BLOCKED : State.STOPPED;
            case COMPLETED -> State.COMPLETED;
            case ABANDONED -> State.ABANDONED;
            default -> State.FAILED;
        };
    }

    /** Whether a live process (another, or this one) holds the claim of this request: it is being run. */
    public boolean isClaimed(long requestId) {
        return runner.isClaimed(requestId);
    }

    /** The request an execution carries out; empty for an execution that names none. */
    public Optional<ChangeRequest> requestOf(JobExecution execution) {
        Long requestId = execution.getJobParameters().getLong(JobParameterNames.REQUEST);
        return requestId == null ? Optional.empty() : requests.find(requestId);
    }

    /** An execution named by an operator as the source of a follow-up or a plan, with its instance's last one. */
    public record Source(JobExecution named, JobExecution last, Optional<ChangeRequest> request, State state) {

        public boolean completed() {
            return state == State.COMPLETED;
        }

        public boolean alive() {
            return state == State.RUNNING;
        }
    }

    public Source source(long executionId) {
        JobExecution named = find(executionId);
        JobExecution last = jobRepository.getLastJobExecution(named.getJobInstance());
        return new Source(named, last, requestOf(named), state(last));
    }
}
