package io.licensebatch.selection;

import io.licensebatch.db.Sql;
import io.licensebatch.domain.assignment.Action;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code change_request} and {@code change_request_option} tables. */
@Repository
public class ChangeRequestGateway {

    private static final String INSERT = """
            insert into change_request (kind, org_id, action, target_type, source_type, source_execution_id,
                   csv_file, csv_sha256, csv_blocks, dry_run, description, requested_by, requested_at, instance_key)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String INSERT_OPTION = """
            insert into change_request_option (request_id, name, position, option_value) values (?, ?, ?, ?)
            """;

    private static final String SELECT = """
            select id, kind, org_id, action, target_type, source_type, source_execution_id, csv_file, csv_sha256,
                   csv_blocks, dry_run, description
              from change_request where id = ?
            """;

    private static final String BY_INSTANCE_KEY = """
            select id from change_request where instance_key = ?
            """;

    private static final String SELECT_OPTIONS = """
            select name, option_value from change_request_option where request_id = ? order by name, position
            """;

    private final JdbcTemplate jdbc;

    public ChangeRequestGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the request (its id is ignored) and returns it with the id it got. */
    public ChangeRequest create(ChangeRequest request, String requestedBy) {
        return create(request, requestedBy, null);
    }

    /** Stores the request under a key that finds it again ({@link #findByInstanceKey}); null for none. */
    public ChangeRequest create(ChangeRequest request, String requestedBy, String instanceKey) {
        long id = Sql.insertReturningId(jdbc, INSERT, request.kind().name(), request.orgId(),
                request.action() == null ? null : request.action().name(), request.targetType(), request.sourceType(),
                request.sourceExecutionId(), request.csvFile(), request.csvSha256(), request.csvBlocks(),
                request.dryRun(), request.description(), requestedBy, Timestamp.valueOf(LocalDateTime.now()),
                instanceKey);
        List<Object[]> rows = new ArrayList<>();
        request.options().forEach((name, values) -> {
            for (int i = 0; i < values.size(); i++) {
                rows.add(new Object[] {id, name, i, values.get(i)});
            }
        });
        jdbc.batchUpdate(INSERT_OPTION, rows);
        return get(id);
    }

    public Optional<ChangeRequest> findByInstanceKey(String instanceKey) {
        return jdbc.queryForList(BY_INSTANCE_KEY, Long.class, instanceKey).stream().findFirst().flatMap(this::find);
    }

    /** The request a job carries out: it was written before the job started, so a missing one is a bug. */
    public ChangeRequest get(long id) {
        return find(id).orElseThrow(() -> new IllegalStateException("no change request " + id));
    }

    public Optional<ChangeRequest> find(long id) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        jdbc.query(SELECT_OPTIONS, rs -> {
            options.computeIfAbsent(rs.getString("name"), name -> new ArrayList<>()).add(rs.getString("option_value"));
        }, id);
        return jdbc.query(SELECT, (rs, row) -> new ChangeRequest(rs.getLong("id"),
                RequestKind.valueOf(rs.getString("kind")), (Long) rs.getObject("org_id", Long.class),
                rs.getString("action") == null ? null : Action.valueOf(rs.getString("action")),
                rs.getString("target_type"), rs.getString("source_type"),
                rs.getObject("source_execution_id", Long.class), rs.getString("csv_file"),
                rs.getString("csv_sha256"), rs.getString("csv_blocks"), rs.getBoolean("dry_run"), rs.getString("description"), options),
                id).stream().findFirst();
    }
}
