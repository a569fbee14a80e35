package io.licensebatch.runs;

import io.licensebatch.launch.Executions;
import io.licensebatch.launch.Executions.State;
import io.licensebatch.request.RequestKind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Executions with their requests, orgs and counts, in one query over Spring Batch's tables and license-batch's
 * own: the counts come from the apply steps' write counts (one per learner given an outcome, committed with the
 * outcomes), so a list of runs of a million learners each reads no outcome row.
 */
@Repository
public class RunHistory {

    private static final String RUNS = """
            select e.job_execution_id, e.job_instance_id, i.job_name, e.status, e.create_time, e.start_time,
                   e.end_time,
                   case when exists (select 1 from batch_step_execution b where b.job_execution_id = e.job_execution_id
                                        and b.exit_code = 'BLOCKED') then 1 else 0 end as blocked,
                   r.id as request_id, r.kind, r.org_id, o.name as org_name, r.action, r.target_type, r.source_type,
                   coalesce(r.source_execution_id, r.plan_execution_id) as source_execution_id, r.night, r.dry_run,
                   r.note, r.requested_by, r.description,
                   t.items as selected,
                   (select coalesce(sum(b.write_count), 0) from batch_step_execution b
                     where b.job_execution_id = e.job_execution_id and b.step_name like 'applyPartition%%') as by_this,
                   (select coalesce(sum(b.write_count), 0) from batch_step_execution b
                      join batch_job_execution x on x.job_execution_id = b.job_execution_id
                     where x.job_instance_id = e.job_instance_id and x.job_execution_id <= e.job_execution_id
                       and b.step_name like 'applyPartition%%') as done
              from batch_job_execution e
              join batch_job_instance i on i.job_instance_id = e.job_instance_id
              left join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                                                     and p.parameter_name = 'request'
              left join change_request r on r.id = cast(p.parameter_value as bigint)
              left join organization o on o.id = r.org_id
              left join selection_taken t on t.job_instance_id = e.job_instance_id
             where (cast(? as bigint) is null or r.org_id = ?
                    or (r.id is not null and r.org_id is null
                        and exists (select 1 from job_seat_pool j where j.job_instance_id = e.job_instance_id
                                       and j.org_id = ?)))
               and (cast(? as timestamp) is null or e.create_time >= ?)
               and %s
             order by e.job_execution_id desc
             limit ?
            """;

    /** The Spring Batch statuses of each state; RUNNING and DEAD share theirs and are told apart by the claim. */
    private static String condition(State state) {
        if (state == null) {
            return "1 = 1";
        }
        return switch (state) {
            case RUNNING, DEAD -> "e.status in ('STARTING', 'STARTED', 'STOPPING', 'UNKNOWN')";
            case BLOCKED -> "e.status = 'STOPPED' and exists (select 1 from batch_step_execution b"
                    + " where b.job_execution_id = e.job_execution_id and b.exit_code = 'BLOCKED')";
            case STOPPED -> "e.status = 'STOPPED' and not exists (select 1 from batch_step_execution b"
                    + " where b.job_execution_id = e.job_execution_id and b.exit_code = 'BLOCKED')";
            case COMPLETED -> "e.status = 'COMPLETED'";
            case ABANDONED -> "e.status = 'ABANDONED'";
            case FAILED -> "e.status = 'FAILED'";
        };
    }

    private final JdbcTemplate jdbc;
    private final Executions executions;

    public RunHistory(JdbcTemplate jdbc, Executions executions) {
        this.jdbc = jdbc;
        this.executions = executions;
    }

    /** The most recent runs that pass the filter, newest first. */
    public List<Run> list(RunFilter filter) {
        Timestamp since = filter.since() == null ? null : Timestamp.valueOf(filter.since().atStartOfDay());
        boolean byClaim = filter.state() == State.RUNNING || filter.state() == State.DEAD;
        // Running and dead ones are told apart after the query: there are few unfinished executions, take them all.
        int limit = byClaim ? Integer.MAX_VALUE : filter.limit();
        List<Run> runs = jdbc.query(RUNS.formatted(condition(filter.state())), this::run, filter.orgId(),
                filter.orgId(), filter.orgId(), since, since, limit);
        if (!byClaim) {
            return runs;
        }
        List<Run> matching = new ArrayList<>();
        for (Run run : runs) {
            if (run.state() == filter.state() && matching.size() < filter.limit()) {
                matching.add(run);
            }
        }
        return matching;
    }

    /** One execution as a run; empty when there is no such execution. */
    public Optional<Run> find(long executionId) {
        String one = RUNS.formatted("e.job_execution_id = " + executionId);
        return jdbc.query(one, this::run, null, null, null, null, null, 1).stream().findFirst();
    }

    private Run run(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long requestId = rs.getLong("request_id");
        Run.Request request = rs.wasNull() ? null : new Run.Request(requestId, RequestKind.valueOf(rs.getString("kind")),
                (Long) rs.getObject("org_id", Long.class), rs.getString("org_name"), rs.getString("action"),
                rs.getString("target_type"), rs.getString("source_type"),
                rs.getObject("source_execution_id", Long.class), rs.getObject("night", LocalDate.class),
                rs.getBoolean("dry_run"), rs.getString("note"), rs.getString("requested_by"),
                rs.getString("description"));
        long selected = rs.getLong("selected");
        if (rs.wasNull()) {
            selected = -1;
        }
        State state = Executions.state(rs.getString("status"), rs.getInt("blocked") == 1,
                () -> request != null && executions.isClaimed(request.id()));
        return new Run(rs.getLong("job_execution_id"), rs.getLong("job_instance_id"), rs.getString("job_name"), state,
                rs.getString("status"), request, rs.getObject("create_time", LocalDateTime.class),
                rs.getObject("start_time", LocalDateTime.class), rs.getObject("end_time", LocalDateTime.class),
                selected, rs.getLong("done"), rs.getLong("by_this"));
    }

}
