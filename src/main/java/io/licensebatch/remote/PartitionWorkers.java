package io.licensebatch.remote;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code partition_worker} table: which worker process took which partition, read by {@code status}. */
@Repository
public class PartitionWorkers {

    private static final String FORGET = "delete from partition_worker where step_execution_id = ?";

    private static final String RECORD = """
            insert into partition_worker (step_execution_id, worker, taken_at) values (?, ?, ?)
            """;

    private static final String OF_EXECUTION = """
            select s.step_name, w.worker
              from partition_worker w join batch_step_execution s on s.step_execution_id = w.step_execution_id
             where s.job_execution_id = ? order by s.step_execution_id
            """;

    private static final String TOOK_ANY = """
            select exists (select 1 from partition_worker w
                             join batch_step_execution s on s.step_execution_id = w.step_execution_id
                            where s.job_execution_id = ?)
            """;

    private final JdbcTemplate jdbc;

    public PartitionWorkers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void took(long stepExecutionId, String worker) {
        jdbc.update(FORGET, stepExecutionId);
        jdbc.update(RECORD, stepExecutionId, worker, Timestamp.valueOf(LocalDateTime.now()));
    }

    /** Whether workers took any partition of the job execution: a run whose apply step ran remotely. */
    public boolean tookAny(long jobExecutionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(TOOK_ANY, Boolean.class, jobExecutionId));
    }

    /** Partition step name to worker, for one job execution. */
    public Map<String, String> of(long jobExecutionId) {
        Map<String, String> workers = new LinkedHashMap<>();
        jdbc.query(OF_EXECUTION, rs -> {
            workers.put(rs.getString("step_name"), rs.getString("worker"));
        }, jobExecutionId);
        return workers;
    }
}
