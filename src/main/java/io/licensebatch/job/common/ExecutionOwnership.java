package io.licensebatch.job.common;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks a running execution as owned by this process: takes its instance's lock (see
 * {@link InstanceLocks}) for the whole run and records the process in {@code execution_owner}, so that
 * {@code status} and "already running" refusals can name it.
 */
@Component
public class ExecutionOwnership implements JobExecutionListener {

    private static final String RECORD = """
            insert into execution_owner (job_execution_id, pid, host, started_at) values (?, ?, ?, ?)
            """;

    private static final String FIND = """
            select pid, host from execution_owner where job_execution_id = ?
            """;

    /** How long an execution nobody has claimed yet counts as starting rather than dead. */
    static final Duration STARTING_GRACE = Duration.ofSeconds(60);

    private final InstanceLocks locks;
    private final JdbcTemplate jdbc;
    private final Map<Long, InstanceLocks.Lease> leases = new ConcurrentHashMap<>();

    public ExecutionOwnership(InstanceLocks locks, JdbcTemplate jdbc) {
        this.locks = locks;
        this.jdbc = jdbc;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        long instanceId = execution.getJobInstanceId();
        InstanceLocks.Lease lease = locks.tryLock(instanceId).orElseThrow(() -> new AlreadyRunningException(
                "job instance " + instanceId + " is being run by another process; not starting it twice."
                        + " `license-batch status` shows which execution runs it"));
        leases.put(execution.getId(), lease);
        jdbc.update(RECORD, execution.getId(), ProcessHandle.current().pid(), hostName(),
                Timestamp.valueOf(LocalDateTime.now()));
    }

    @Override
    public void afterJob(JobExecution execution) {
        InstanceLocks.Lease lease = leases.remove(execution.getId());
        if (lease != null) {
            lease.close();
        }
    }

    /**
     * True while an execution may still be on its way to {@link #beforeJob}: Spring Batch has created it but
     * no process has claimed it yet. Such an execution is not dead until a grace period has passed.
     */
    public boolean mayBeStarting(JobExecution execution) {
        if (ownerOf(execution.getId()).isPresent()) {
            return false;
        }
        LocalDateTime created = execution.getCreateTime();
        return created != null && created.isAfter(LocalDateTime.now().minus(STARTING_GRACE));
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
