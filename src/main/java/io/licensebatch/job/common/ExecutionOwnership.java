package io.licensebatch.job.common;

import io.licensebatch.db.EmbeddedDatabaseHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Records which process runs an execution ({@code execution_owner}: pid and host), for {@code status} and for
 * "already running" refusals, and ties the execution to the request's claim that {@link JobRunner} holds: if
 * that claim is lost to another process, the execution stops at once.
 */
@Component
public class ExecutionOwnership implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ExecutionOwnership.class);

    private static final String RECORD = """
            insert into execution_owner (job_execution_id, pid, host, started_at) values (?, ?, ?, ?)
            """;

    private static final String FIND = """
            select pid, host from execution_owner where job_execution_id = ?
            """;

    /** The claim of the launch under way in this thread (the job runs in the thread that launches it). */
    private final ThreadLocal<RequestClaims.Claim> launching = new ThreadLocal<>();
    private final JdbcTemplate jdbc;
    private final EmbeddedDatabaseHolder embedded;

    public ExecutionOwnership(JdbcTemplate jdbc, EmbeddedDatabaseHolder embedded) {
        this.jdbc = jdbc;
        this.embedded = embedded;
    }

    void claimedBy(RequestClaims.Claim claim) {
        if (claim == null) {
            launching.remove();
        } else {
            launching.set(claim);
        }
    }

    @Override
    public void beforeJob(JobExecution execution) {
        RequestClaims.Claim claim = launching.get();
        if (claim == null) {
            throw new IllegalStateException("execution " + execution.getId() + " was started without claiming its"
                    + " request first: start jobs through JobRunner");
        }
        claim.whenLost(() -> {
            log.error("execution {} lost its claim: stopping it at once", execution.getId());
            execution.getStepExecutions().forEach(StepExecution::setTerminateOnly);
        });
        jdbc.update(RECORD, execution.getId(), ProcessHandle.current().pid(), hostName(),
                Timestamp.valueOf(LocalDateTime.now()));
        embedded.running(execution.getId());
    }

    /** "pid 1234 on host x", for messages about an execution; empty when no process was recorded. */
    public Optional<String> ownerOf(long jobExecutionId) {
        return jdbc.query(FIND, (rs, row) -> "pid " + rs.getLong("pid") + " on " + rs.getString("host"),
                jobExecutionId).stream().findFirst();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host (" + e.getMessage() + ")";
        }
    }
}
