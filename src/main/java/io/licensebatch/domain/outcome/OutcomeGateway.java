package io.licensebatch.domain.outcome;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.db.PostgresCopy;
import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code license_change_outcome} table: one row per selection item per job instance. */
@Repository
public class OutcomeGateway {

    /**
     * The outcomes retry-failed picks up, as an SQL condition on the outcome table aliased {@code o}: FAILED, and
     * the {@link Reason#isRetryable() retryable} rejections.
     */
    public static final String RETRYABLE = "(o.status = 'FAILED' or o.reason in ("
            + java.util.Arrays.stream(Reason.values()).filter(Reason::isRetryable).map(reason -> "'" + reason + "'")
                    .collect(java.util.stream.Collectors.joining(", ")) + "))";

    private static final String COLUMNS = """
            job_instance_id, job_execution_id, processed_at, item_no, org_id, learner_id, record_number, identifier,
                   previous_license_type, new_license_type, status, reason, detail, note, ended_assignment_id,
                   new_assignment_id, source_execution_id""";

    /**
     * PostgreSQL: the chunk's rows as one COPY, half the server's work of unnesting 14 arrays (114,000 rows:
     * 0.5-0.7 s against 1.2 s).
     */
    private static final String COPY = "copy license_change_outcome (" + COLUMNS + ") from stdin";

    /** H2: the chunk's rows as arrays, unnested. */
    private static final String INSERT = "insert into license_change_outcome (" + COLUMNS + ")\n" + """
            select ?, ?, ?, d.item_no, d.org_id, d.learner_id, d.record_number, d.identifier, d.previous_type,
                   d.new_type, d.status, d.reason, d.detail, d.note, d.ended_id, d.new_id, d.source_execution_id
              from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   as d (item_no, org_id, learner_id, record_number, identifier, previous_type, new_type, status,
                         reason, detail, note, ended_id, new_id, source_execution_id)
            """;

    private static final String COUNT_BY_STATUS_AND_REASON = """
            select status, reason, count(*) as n
              from license_change_outcome
             where job_instance_id = ?
             group by status, reason
             order by status, reason
            """;

    private static final String COUNT = """
            select count(*) from license_change_outcome where job_instance_id = ?
            """;

    /**
     * By instance first: the outcome table's key leads with it, and an execution's outcomes are its instance's
     * (by execution alone, every status of a running run read the platform's whole outcome history).
     */
    public static final String COUNT_BY_EXECUTION = """
            select count(*) from license_change_outcome where job_instance_id = ? and job_execution_id = ?
            """;

    private static final String REPORT = """
            select o.item_no, o.record_number, o.identifier, o.learner_id, l.email, o.previous_license_type,
                   o.new_license_type, o.status, o.reason, o.detail, o.note, o.job_execution_id,
                   o.source_execution_id, o.processed_at, o.org_id, g.name as org_name,
                   case when s.action = 'REVOKE' then 'REVOKE' else s.target_type end as requested
              from license_change_outcome o
              left join learner l on l.id = o.learner_id and l.org_id = o.org_id
              left join organization g on g.id = o.org_id
              left join selection_item s on s.job_instance_id = o.job_instance_id and s.item_no = o.item_no
             where o.job_instance_id = ?
               and (cast(? as varchar(32)) is null or o.status = ?)
               and (cast(? as varchar(32)) is null or o.reason = ?)
               and (? = false or %s)
             order by o.item_no
            """.formatted(RETRYABLE);

    private final JdbcTemplate jdbc;
    private final DatabaseDialect dialect;

    public OutcomeGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = DatabaseDialect.of(jdbc);
    }

    /**
     * Writes a chunk's outcomes in one statement, all or none: a row that breaks a constraint (a second outcome for
     * an item) fails the statement, and the caller's transaction or savepoint with it.
     */
    public void insert(long jobInstanceId, long jobExecutionId, Timestamp processedAt, Collection<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        if (dialect == DatabaseDialect.POSTGRESQL) {
            copy(jobInstanceId, jobExecutionId, processedAt, outcomes);
            return;
        }
        int n = outcomes.size();
        List<Long> itemNos = new ArrayList<>(n);
        List<Long> orgIds = new ArrayList<>(n);
        List<Long> learnerIds = new ArrayList<>(n);
        List<Long> recordNumbers = new ArrayList<>(n);
        List<String> identifiers = new ArrayList<>(n);
        List<String> previousTypes = new ArrayList<>(n);
        List<String> newTypes = new ArrayList<>(n);
        List<String> statuses = new ArrayList<>(n);
        List<String> reasons = new ArrayList<>(n);
        List<String> details = new ArrayList<>(n);
        List<String> notes = new ArrayList<>(n);
        List<Long> endedIds = new ArrayList<>(n);
        List<Long> newIds = new ArrayList<>(n);
        List<Long> sourceExecutionIds = new ArrayList<>(n);
        for (Outcome outcome : outcomes) {
            itemNos.add(outcome.itemNo());
            orgIds.add(outcome.orgId());
            learnerIds.add(outcome.learnerId());
            recordNumbers.add(outcome.recordNumber());
            identifiers.add(outcome.identifier());
            previousTypes.add(outcome.previousLicenseType());
            newTypes.add(outcome.newLicenseType());
            statuses.add(outcome.status().name());
            reasons.add(outcome.reason() == null ? null : outcome.reason().name());
            details.add(outcome.detail());
            notes.add(outcome.note());
            endedIds.add(outcome.endedAssignmentId());
            newIds.add(outcome.newAssignmentId());
            sourceExecutionIds.add(outcome.sourceExecutionId());
        }
        // Item numbers and statuses are never null; the other columns go empty when a chunk has no values.
        Sql.update(jdbc, INSERT, jobInstanceId, jobExecutionId, processedAt,
                SqlArray.bigints(itemNos), SqlArray.bigints(orgIds).emptyIfAllNull(),
                SqlArray.bigints(learnerIds).emptyIfAllNull(), SqlArray.bigints(recordNumbers).emptyIfAllNull(),
                SqlArray.texts(identifiers).emptyIfAllNull(), SqlArray.texts(previousTypes).emptyIfAllNull(),
                SqlArray.texts(newTypes).emptyIfAllNull(), SqlArray.texts(statuses),
                SqlArray.texts(reasons).emptyIfAllNull(), SqlArray.texts(details).emptyIfAllNull(),
                SqlArray.texts(notes).emptyIfAllNull(), SqlArray.bigints(endedIds).emptyIfAllNull(),
                SqlArray.bigints(newIds).emptyIfAllNull(), SqlArray.bigints(sourceExecutionIds).emptyIfAllNull());
    }

    private void copy(long jobInstanceId, long jobExecutionId, Timestamp processedAt, Collection<Outcome> outcomes) {
        PostgresCopy rows = new PostgresCopy(outcomes.size() * 160);
        String processed = processedAt.toString();
        for (Outcome outcome : outcomes) {
            rows.value(jobInstanceId).value(jobExecutionId).text(processed).value(outcome.itemNo())
                    .value(outcome.orgId()).value(outcome.learnerId()).value(outcome.recordNumber())
                    .text(outcome.identifier()).text(outcome.previousLicenseType()).text(outcome.newLicenseType())
                    .text(outcome.status().name()).text(outcome.reason() == null ? null : outcome.reason().name())
                    .text(outcome.detail()).text(outcome.note()).value(outcome.endedAssignmentId())
                    .value(outcome.newAssignmentId()).value(outcome.sourceExecutionId()).endRow();
        }
        rows.into(jdbc, COPY);
    }

    public List<OutcomeCount> countByStatusAndReason(long jobInstanceId) {
        return jdbc.query(COUNT_BY_STATUS_AND_REASON, (rs, row) -> new OutcomeCount(
                OutcomeStatus.valueOf(rs.getString("status")),
                rs.getString("reason") == null ? null : Reason.valueOf(rs.getString("reason")),
                rs.getLong("n")), jobInstanceId);
    }

    public long count(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    public long countWrittenBy(long jobInstanceId, long jobExecutionId) {
        Long n = jdbc.queryForObject(COUNT_BY_EXECUTION, Long.class, jobInstanceId, jobExecutionId);
        return n == null ? 0 : n;
    }

    /**
     * Streams a job instance's outcomes in selection order, optionally only one status and/or reason, or
     * only what retry-failed would pick up.
     */
    public void report(long jobInstanceId, OutcomeStatus status, Reason reason, boolean failedOnly,
            RowCallbackHandler handler) {
        String statusName = status == null ? null : status.name();
        String reasonName = reason == null ? null : reason.name();
        jdbc.query(REPORT, handler, jobInstanceId, statusName, statusName, reasonName, reasonName, failedOnly);
    }
}
