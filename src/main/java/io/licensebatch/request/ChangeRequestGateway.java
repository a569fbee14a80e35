package io.licensebatch.request;

import io.licensebatch.db.Sql;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.request.ChangeRequest.Filters;
import io.licensebatch.request.ChangeRequest.FollowUp;
import io.licensebatch.request.ChangeRequest.Migration;
import io.licensebatch.request.ChangeRequest.Named;
import io.licensebatch.request.ChangeRequest.Night;
import io.licensebatch.request.ChangeRequest.Options;
import io.licensebatch.request.ChangeRequest.Plan;
import io.licensebatch.request.ChangeRequest.Selection;
import io.licensebatch.request.ChangeRequest.Upload;
import io.licensebatch.selection.LearnerFilter;
import io.licensebatch.selection.csv.FileBlocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code change_request} table, and {@code change_request_option}: the lists a request's selection holds
 * (the filters' values, the named learners), one value per row. Each kind of selection is stored in its own
 * columns and read back as the same typed {@link Selection}.
 */
@Repository
public class ChangeRequestGateway {

    private static final String INSERT = """
            insert into change_request (kind, org_id, action, target_type, source_type, source_execution_id,
                   csv_file, csv_sha256, csv_blocks, records, ignored_columns, rules_file, rules_sha256, night,
                   plan_execution_id, dry_run, transfer_seats, retire_source, fail_on_rejections, note,
                   description, requested_by, requested_at, instance_key)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String INSERT_OPTION = """
            insert into change_request_option (request_id, name, position, option_value) values (?, ?, ?, ?)
            """;

    private static final String SELECT = """
            select id, kind, org_id, action, target_type, source_type, source_execution_id, csv_file, csv_blocks,
                   records, ignored_columns, rules_file, rules_sha256, night, plan_execution_id, dry_run,
                   transfer_seats, retire_source, fail_on_rejections, note, description, requested_by, requested_at
              from change_request where id = ?
            """;

    private static final String SELECT_OPTIONS = """
            select name, option_value from change_request_option where request_id = ? order by name, position
            """;

    private static final String BY_INSTANCE_KEY = """
            select id from change_request where instance_key = ?
            """;

    private static final String BY_PLAN = """
            select id from change_request where plan_execution_id = ?
            """;

    /** An upload of the same content that got as far as applying (a run the guard blocked changed nothing). */
    private static final String EARLIER_UPLOAD = """
            select max(r.id) from change_request r
             where r.org_id = ? and r.kind = 'CSV' and r.csv_sha256 = ? and r.dry_run = false
               and exists (select 1 from batch_job_execution_params p
                             join batch_job_execution e on e.job_execution_id = p.job_execution_id
                             join license_change_outcome o on o.job_instance_id = e.job_instance_id
                            where p.parameter_name = 'request' and p.parameter_value = cast(r.id as varchar(30)))
            """;

    private static final String CONFIRM = """
            update change_request set confirmed_by = ?, confirmed_at = ? where id = ? and confirmed_by is null
            """;

    private static final String CONFIRMED_BY = """
            select confirmed_by from change_request where id = ?
            """;

    private final JdbcTemplate jdbc;

    public ChangeRequestGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the request (its id is ignored) and returns it with the id it got. */
    public ChangeRequest create(ChangeRequest request) {
        return create(request, null);
    }

    /** Stores the request under a key that finds it again ({@link #findByInstanceKey}); null for none. */
    public ChangeRequest create(ChangeRequest request, String instanceKey) {
        Selection selection = request.selection();
        Upload upload = selection instanceof Upload u ? u : null;
        Night night = selection instanceof Night n ? n : null;
        Options options = request.options();
        LocalDateTime at = LocalDateTime.now();
        long id = Sql.insertReturningId(jdbc, INSERT, request.kind().name(), request.orgId(),
                request.action() == null ? null : request.action().name(), request.targetType(),
                selection instanceof Migration m ? m.sourceType() : null,
                selection instanceof FollowUp f ? f.sourceExecutionId() : null,
                upload == null ? null : upload.file(), upload == null ? null : upload.blocks().sha256(),
                upload == null ? null : upload.blocks().hashes(), upload == null ? null : upload.records(),
                upload == null || upload.ignoredColumns().isEmpty() ? null : String.join(",", upload.ignoredColumns()),
                night == null ? null : night.rulesFile(), night == null ? null : night.rulesSha256(),
                night == null ? null : Date.valueOf(night.date()),
                selection instanceof Plan p ? p.planExecutionId() : null,
                options.dryRun(), options.transferSeats(), selection instanceof Migration m && m.retireSource(),
                options.failOnRejections(), options.note(), request.description(), request.requestedBy(),
                Timestamp.valueOf(at), instanceKey);
        List<Object[]> rows = new ArrayList<>();
        lists(selection).forEach((name, values) -> {
            for (int i = 0; i < values.size(); i++) {
                rows.add(new Object[] {id, name, i, values.get(i)});
            }
        });
        jdbc.batchUpdate(INSERT_OPTION, rows);
        return request.stored(id, at);
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
        return jdbc.query(SELECT, (rs, row) -> request(rs, options), id).stream().findFirst();
    }

    public Optional<ChangeRequest> findByInstanceKey(String instanceKey) {
        return jdbc.queryForList(BY_INSTANCE_KEY, Long.class, instanceKey).stream().findFirst().flatMap(this::find);
    }

    /**
     * The latest real (not dry-run) upload of a file with this content in the org that applied at least one record,
     * if there was one.
     */
    public Optional<ChangeRequest> earlierUploadOf(long orgId, String contentSha256) {
        Long id = jdbc.queryForObject(EARLIER_UPLOAD, Long.class, orgId, contentSha256);
        return id == null ? Optional.empty() : find(id);
    }

    /** The request that applies a plan (a dry run's execution), if it has been applied. */
    public Optional<Long> applicationOf(long planExecutionId) {
        return jdbc.queryForList(BY_PLAN, Long.class, planExecutionId).stream().findFirst();
    }

    /** Records who let the request's change through the mass-change guard (the first confirmation counts). */
    public void confirm(long id, String confirmedBy) {
        jdbc.update(CONFIRM, confirmedBy, Timestamp.valueOf(LocalDateTime.now()), id);
    }

    /** Who let the request's change through the mass-change guard; empty while nobody has. */
    public Optional<String> confirmedBy(long id) {
        return jdbc.queryForList(CONFIRMED_BY, String.class, id).stream().filter(who -> who != null).findFirst();
    }

    private static ChangeRequest request(ResultSet rs, Map<String, List<String>> options) throws SQLException {
        RequestKind kind = RequestKind.valueOf(rs.getString("kind"));
        Selection selection = switch (kind) {
            case FILTER -> new Filters(filter(options));
            case LEARNERS -> new Named(options.getOrDefault(LearnerFilter.LEARNER, List.of()));
            case CSV -> new Upload(rs.getString("csv_file"), new FileBlocks(rs.getString("csv_blocks")),
                    rs.getLong("records"), rs.getString("ignored_columns") == null ? List.of()
                            : Arrays.asList(rs.getString("ignored_columns").split(",")));
            case RETRY_FAILED, UNDO -> new FollowUp(rs.getLong("source_execution_id"));
            case MIGRATE -> new Migration(rs.getString("source_type"), rs.getBoolean("retire_source"));
            case REORGANISE -> new Night(rs.getString("rules_file"), rs.getString("rules_sha256"),
                    rs.getObject("night", LocalDate.class));
            case PLAN -> new Plan(rs.getLong("plan_execution_id"));
        };
        return new ChangeRequest(rs.getLong("id"), kind, rs.getObject("org_id", Long.class),
                rs.getString("action") == null ? null : Action.valueOf(rs.getString("action")),
                rs.getString("target_type"), selection,
                new Options(rs.getBoolean("dry_run"), rs.getBoolean("transfer_seats"), rs.getString("note"),
                        rs.getBoolean("fail_on_rejections")),
                rs.getString("description"), rs.getString("requested_by"),
                rs.getObject("requested_at", LocalDateTime.class));
    }

    /** The lists a selection holds, by option name. */
    private static Map<String, List<String>> lists(Selection selection) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        if (selection instanceof Named named) {
            lists.put(LearnerFilter.LEARNER, named.learners());
        } else if (selection instanceof Filters filters) {
            LearnerFilter filter = filters.filter();
            lists.put(LearnerFilter.LICENSE_TYPE, filter.licenseTypes());
            lists.put(LearnerFilter.STATUS, filter.statuses());
            lists.put(LearnerFilter.GROUP, filter.groups());
            lists.put(LearnerFilter.DEPARTMENT, filter.departments());
            lists.put(LearnerFilter.LOCATION, filter.locations());
            if (filter.inactiveSince() != null) {
                lists.put(LearnerFilter.INACTIVE_SINCE, List.of(filter.inactiveSince().toString()));
            }
            if (filter.search() != null) {
                lists.put(LearnerFilter.SEARCH, List.of(filter.search()));
            }
            lists.put(LearnerFilter.EXCLUDE_ID, filter.excludedLearnerIds().stream().map(String::valueOf).toList());
        }
        return lists;
    }

    private static LearnerFilter filter(Map<String, List<String>> options) {
        List<String> inactive = options.getOrDefault(LearnerFilter.INACTIVE_SINCE, List.of());
        List<String> search = options.getOrDefault(LearnerFilter.SEARCH, List.of());
        return new LearnerFilter(options.getOrDefault(LearnerFilter.LICENSE_TYPE, List.of()),
                options.getOrDefault(LearnerFilter.STATUS, List.of()),
                options.getOrDefault(LearnerFilter.GROUP, List.of()),
                options.getOrDefault(LearnerFilter.DEPARTMENT, List.of()),
                options.getOrDefault(LearnerFilter.LOCATION, List.of()),
                inactive.isEmpty() ? null : LocalDate.parse(inactive.get(0)),
                search.isEmpty() ? null : search.get(0),
                options.getOrDefault(LearnerFilter.EXCLUDE_ID, List.of()).stream().map(Long::valueOf).toList());
    }
}
