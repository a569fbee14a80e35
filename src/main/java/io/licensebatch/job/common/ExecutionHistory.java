package io.licensebatch.job.common;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.LocalDateTime;
import java.util.List;

/** Recent executions of every job, read from Spring Batch's own tables (for {@code status}). */
@Repository
public class ExecutionHistory {

    private static final String RECENT = """
            select e.job_execution_id, i.job_name, e.job_instance_id, e.status, e.start_time, e.end_time
              from batch_job_execution e
              join batch_job_instance i on i.job_instance_id = e.job_instance_id
             order by e.job_execution_id desc
             limit ?
            """;

    private final JdbcTemplate jdbc;

    public ExecutionHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Row(long executionId, String jobName, long instanceId, String status, LocalDateTime start,
            LocalDateTime end) {
    }

    public List<Row> recent(int limit) {
        return jdbc.query(RECENT, (rs, row) -> new Row(rs.getLong("job_execution_id"), rs.getString("job_name"),
                rs.getLong("job_instance_id"), rs.getString("status"),
                rs.getObject("start_time", LocalDateTime.class), rs.getObject("end_time", LocalDateTime.class)), limit);
    }
}
