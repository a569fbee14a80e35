package io.licensebatch.selection;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.Reason;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.StagedRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a job instance's selection snapshot ({@code selection_item}): the items of each kind of selection,
 * taken once, before anything changes, in the selection's transaction; the rejections found while taking it; and
 * the mark that says it is complete ({@code selection_taken}).
 */
@Repository
public class SelectionSnapshot {

    /**
     * The learners of one learner-id range matched by filters, each item numbered with its learner's id (so
     * ranges can be taken at once, on connections of their own, and still be numbered in learner order);
     * FilterQuery adds the conditions.
     */
    private static final String INSERT_FILTERED = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type,
                   expected_assignment_id, expected_license_type, note)
            select :jobInstanceId, l.id, l.org_id, l.id, :action, :targetType,
                   a.id, a.license_type, :note
              from learner l
              left join license_assignment a on a.learner_id = l.id and a.ended_at is null
             where l.org_id = :orgId and l.id >= :fromId and l.id <= :toId""";

    /** Items an attempt that did not complete left in a range (see {@link #insertFiltered}). */
    private static final String DELETE_RANGE = """
            delete from selection_item where job_instance_id = ? and item_no >= ? and item_no <= ?
            """;

    /** The lowest and highest learner id of an org (the index on (org_id, id) answers it). */
    private static final String LEARNER_ID_SPAN = """
            select min(id), max(id) from learner where org_id = ?
            """;

    /**
     * A retry: the source instance's FAILED learners and retryable rejections, with their original targets,
     * as they are now. Numbered by org, then the source's order.
     */
    private static final String INSERT_RETRIES = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, record_number, identifier,
                   action, target_type, expected_assignment_id, expected_license_type, note, source_execution_id)
            select ?, row_number() over (order by s.org_id, s.item_no), s.org_id, s.learner_id, s.record_number,
                   s.identifier, s.action, s.target_type, a.id, a.license_type, s.note, ?
              from license_change_outcome o
              join selection_item s on s.job_instance_id = o.job_instance_id and s.item_no = o.item_no
              left join license_assignment a on a.learner_id = s.learner_id and a.ended_at is null
             where o.job_instance_id = ? and %s
            """.formatted(OutcomeGateway.RETRYABLE);

    /**
     * An undo: every learner the source instance changed goes back to the type they had before it (or to no
     * license), but only if they are still on what that run gave them; the others are CHANGED_SINCE.
     */
    private static final String INSERT_UNDO = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, record_number, identifier,
                   action, target_type, expected_assignment_id, expected_license_type, rejection, note,
                   source_execution_id)
            select ?, row_number() over (order by o.org_id, o.item_no), o.org_id, o.learner_id, o.record_number,
                   o.identifier,
                   case when o.previous_license_type is null then 'REVOKE' else 'REASSIGN' end,
                   o.previous_license_type, a.id, a.license_type,
                   case when o.status = 'REASSIGNED' and (a.id is null or a.id <> o.new_assignment_id)
                          or o.status = 'REVOKED' and a.id is not null then 'CHANGED_SINCE' end,
                   ?, ?
              from license_change_outcome o
              left join license_assignment a on a.learner_id = o.learner_id and a.ended_at is null
             where o.job_instance_id = ? and o.status in ('REASSIGNED', 'REVOKED')
            """;

    /**
     * The apply of a plan: the plan's items as they were when the plan was made (the assignment each learner was
     * on then is the one expected now), with the plan's rejections kept; an item the plan could not decide (it
     * FAILED there) is NOT_IN_PLAN. Only what the plan would have changed can change.
     */
    private static final String INSERT_PLAN = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, record_number, identifier,
                   action, target_type, expected_assignment_id, expected_license_type, rejection, detail, note,
                   source_execution_id)
            select ?, s.item_no, s.org_id, s.learner_id, s.record_number, s.identifier, s.action, s.target_type,
                   s.expected_assignment_id, s.expected_license_type,
                   case when o.status = 'REJECTED' then o.reason when o.status = 'FAILED' then 'NOT_IN_PLAN'
                        else s.rejection end,
                   case when o.status in ('REJECTED', 'FAILED') then o.detail else s.detail end,
                   s.note, ?
              from selection_item s
              join license_change_outcome o on o.job_instance_id = s.job_instance_id and o.item_no = s.item_no
             where s.job_instance_id = ?
            """;

    /** A migration: everyone currently on one type (in one org, or all), numbered by org then learner. */
    private static final String INSERT_MIGRATION = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type,
                   expected_assignment_id, expected_license_type, note)
            select ?, row_number() over (order by a.org_id, a.learner_id), a.org_id, a.learner_id, 'REASSIGN', ?,
                   a.id, a.license_type, ?
              from license_assignment a
             where a.license_type = ? and a.ended_at is null and (cast(? as bigint) is null or a.org_id = ?)
            """;

    /**
     * Upload records, each with its learner looked up in the same statement (%s: the lookup by the records'
     * identifier column): the org's own learner first, else another org's (the apply then says
     * LEARNER_IN_OTHER_ORG), with the learner's current assignment. The item number is the record number. The
     * lookup is a lateral subquery with a limit, one index probe per record whatever the planner believes.
     */
    private static final String INSERT_STAGED_POSTGRESQL = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, record_number, identifier,
                   action, target_type, expected_assignment_id, expected_license_type, rejection, detail, note)
            select ?, d.record_number, ?, m.id, d.record_number, d.identifier, d.action, d.target_type,
                   m.assignment_id, m.license_type, d.rejection, d.detail, d.note
              from (select d.record_number, d.identifier, case when d.rejection is null
                           then coalesce(d.match_key, d.identifier) end as match_key, d.action, d.target_type,
                           d.rejection, d.detail, d.note
                      from unnest(?, ?, ?, ?, ?, ?, ?, ?)
                           as d (record_number, identifier, match_key, action, target_type, rejection, detail, note)
                   ) d
              left join lateral (
                   select l.id, a.id as assignment_id, a.license_type
                     from learner l
                     left join license_assignment a on a.learner_id = l.id and a.ended_at is null
                    where %s
                    order by case when l.org_id = ? then 0 else 1 end, l.id
                    limit 1) m on true
            """;

    /** The same on H2, which has no lateral joins: correlated subqueries look the learner and assignment up. */
    private static final String INSERT_STAGED_H2 = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, record_number, identifier,
                   action, target_type, expected_assignment_id, expected_license_type, rejection, detail, note)
            select ?, m.record_number, ?, m.learner_id, m.record_number, m.identifier, m.action, m.target_type,
                   (select a.id from license_assignment a where a.learner_id = m.learner_id and a.ended_at is null),
                   (select a.license_type from license_assignment a
                     where a.learner_id = m.learner_id and a.ended_at is null),
                   m.rejection, m.detail, m.note
              from (select d.*, (select l.id from learner l where %s
                                  order by case when l.org_id = ? then 0 else 1 end, l.id limit 1) as learner_id
                      from (select d.record_number, d.identifier, case when d.rejection is null
                                   then coalesce(d.match_key, d.identifier) end as match_key, d.action,
                                   d.target_type, d.rejection, d.detail, d.note
                              from unnest(?, ?, ?, ?, ?, ?, ?, ?)
                                   as d (record_number, identifier, match_key, action, target_type, rejection,
                                         detail, note)
                           ) d
                   ) m
            """;

    /**
     * An upload's repeated learners, judged in the database in one statement, whatever the file: a learner named
     * more than once with the same target is changed once (their first record) and the other records are
     * DUPLICATE_RECORD; named with different targets, every one of those records is CONFLICTING_RECORDS. The
     * detail names the other records. Only learners of the upload's org count: each record naming another org's
     * learner is LEARNER_IN_OTHER_ORG, which says nothing about them (a repeat would tell the uploader that two of
     * its identifiers name the same person of another org). A window
     * over the records of the learners named more than once (found first by a grouped count, so that the window
     * sorts only their records) tells both (the lowest and the highest target differ for a conflict). The
     * learners named more than once are an {@code in (...)} subquery, which H2 evaluates once (joined as a derived
     * table, H2 scanned it again for every record: 44,000 records with 6,000 repeats took 39 s; ScansOnH2Test);
     * PostgreSQL plans both forms as the same hash join (seen on 1,000,000 items, 100,000 of them repeats).
     */
    static final String MARK_REPEATS = """
            update selection_item
               set rejection = r.rejection, detail = r.detail
              from (select item_no, case when lo <> hi then 'CONFLICTING_RECORDS' else 'DUPLICATE_RECORD' end
                           as rejection,
                           case when lo <> hi
                                then case when records = 2
                                          then 'records ' || cast(first_record as varchar) || ' and '
                                               || cast(last_record as varchar)
                                          else cast(records as varchar) || ' records (the first ' || cast(first_record
                                               as varchar) || ', the last ' || cast(last_record as varchar) || ')' end
                                     || ' ask different changes of the same learner: none of them is applied;'
                                     || ' keep the one meant'
                                else 'the same learner and change as record ' || cast(first_record as varchar)
                                     || ': only that record is processed' end as detail
                      from (select s.item_no,
                                   row_number() over (partition by s.learner_id order by s.item_no) as nth,
                                   min(coalesce(s.action, '') || ':' || coalesce(s.target_type, ''))
                                       over (partition by s.learner_id) as lo,
                                   max(coalesce(s.action, '') || ':' || coalesce(s.target_type, ''))
                                       over (partition by s.learner_id) as hi,
                                   min(coalesce(s.record_number, s.item_no)) over (partition by s.learner_id)
                                       as first_record,
                                   max(coalesce(s.record_number, s.item_no)) over (partition by s.learner_id)
                                       as last_record,
                                   count(*) over (partition by s.learner_id) as records
                              from selection_item s
                             where s.job_instance_id = ? and s.rejection is null
                               and s.learner_id in (select g.learner_id
                                     from (select learner_id, min(org_id) as org_id from selection_item
                                            where job_instance_id = ? and rejection is null and learner_id is not null
                                            group by learner_id having count(*) > 1) g
                                     join learner l on l.id = g.learner_id and l.org_id = g.org_id)) w
                     where lo <> hi or nth > 1) r
             where selection_item.job_instance_id = ? and selection_item.item_no = r.item_no
            """;

    private static final String INSERT_ITEMS = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, record_number, identifier,
                   action, target_type, expected_assignment_id, expected_license_type, rejection, detail, note,
                   source_execution_id)
            select ?, d.item_no, d.org_id, d.learner_id, d.record_number, d.identifier, d.action, d.target_type,
                   d.expected_assignment_id, d.expected_license_type, d.rejection, d.detail, d.note,
                   d.source_execution_id
              from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   as d (item_no, org_id, learner_id, record_number, identifier, action, target_type,
                         expected_assignment_id, expected_license_type, rejection, detail, note, source_execution_id)
            """;

    private static final String MARK_TAKEN = """
            insert into selection_taken (job_instance_id, items, taken_at) values (?, ?, localtimestamp)
            """;

    /**
     * Snapshots the org's learners with an id in {@code [fromId, toId]} that match the filter; returns how
     * many. Any items an earlier attempt at this selection left in that range are dropped first: a range
     * taken on a connection of its own commits on its own, and the selection counts only once it is marked
     * taken, so an attempt that failed after some range committed is taken again, from scratch.
     */
    public int insertFiltered(long jobInstanceId, long orgId, Action action, String targetType, String note,
            LearnerFilter filter, long fromId, long toId) {
        jdbc.update(DELETE_RANGE, jobInstanceId, fromId, toId);
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("jobInstanceId", jobInstanceId)
                .addValue("orgId", orgId)
                .addValue("action", action.name())
                .addValue("targetType", targetType)
                .addValue("note", note)
                .addValue("fromId", fromId)
                .addValue("toId", toId);
        FilterQuery query = FilterQuery.of(filter, parameters);
        return namedJdbc.update(INSERT_FILTERED + query.andConditions(), parameters);
    }

    /** The lowest and highest learner id of an org; empty when it has no learners. */
    public Optional<long[]> learnerIdSpan(long orgId) {
        return jdbc.query(LEARNER_ID_SPAN, rs -> {
            rs.next();
            long lowest = rs.getLong(1);
            return rs.wasNull() ? Optional.<long[]>empty()
                    : Optional.of(new long[] {lowest, rs.getLong(2)});
        }, orgId);
    }

    /** Snapshots the retry of a source instance; returns how many items. */
    public int insertRetries(long jobInstanceId, long sourceInstanceId, long sourceExecutionId) {
        return jdbc.update(INSERT_RETRIES, jobInstanceId, sourceExecutionId, sourceInstanceId);
    }

    /** Snapshots the undo of a source instance; returns how many items. */
    public int insertUndo(long jobInstanceId, long sourceInstanceId, long sourceExecutionId, String note) {
        return jdbc.update(INSERT_UNDO, jobInstanceId, note, sourceExecutionId, sourceInstanceId);
    }

    /** Snapshots the apply of a plan (a dry run's instance); returns how many items. */
    public int insertPlan(long jobInstanceId, long planInstanceId, long planExecutionId) {
        return jdbc.update(INSERT_PLAN, jobInstanceId, planExecutionId, planInstanceId);
    }

    /** Snapshots a migration from one type to another; returns how many learners. */
    public int insertMigration(long jobInstanceId, String fromType, String toType, Long orgId, String note) {
        return jdbc.update(INSERT_MIGRATION, jobInstanceId, toType, note, fromType, orgId, orgId);
    }

    /** Appends items (numbered by the caller) in one statement. */
    public void insertItems(long jobInstanceId, List<SelectionItem> items) {
        if (items.isEmpty()) {
            return;
        }
        int n = items.size();
        List<Long> itemNos = new ArrayList<>(n);
        List<Long> orgIds = new ArrayList<>(n);
        List<Long> learnerIds = new ArrayList<>(n);
        List<Long> recordNumbers = new ArrayList<>(n);
        List<String> identifiers = new ArrayList<>(n);
        List<String> actions = new ArrayList<>(n);
        List<String> targets = new ArrayList<>(n);
        List<Long> expected = new ArrayList<>(n);
        List<String> expectedTypes = new ArrayList<>(n);
        List<String> rejections = new ArrayList<>(n);
        List<String> details = new ArrayList<>(n);
        List<String> notes = new ArrayList<>(n);
        List<Long> sources = new ArrayList<>(n);
        for (SelectionItem item : items) {
            itemNos.add(item.itemNo());
            orgIds.add(item.orgId());
            learnerIds.add(item.learnerId());
            recordNumbers.add(item.recordNumber());
            identifiers.add(item.identifier());
            actions.add(item.action() == null ? null : item.action().name());
            targets.add(item.targetType());
            expected.add(item.expectedAssignmentId());
            expectedTypes.add(item.expectedLicenseType());
            rejections.add(item.rejection() == null ? null : item.rejection().name());
            details.add(item.detail());
            notes.add(item.note());
            sources.add(item.sourceExecutionId());
        }
        Sql.update(jdbc, INSERT_ITEMS, jobInstanceId, SqlArray.bigints(itemNos), SqlArray.bigints(orgIds),
                SqlArray.bigints(learnerIds), SqlArray.bigints(recordNumbers), SqlArray.texts(identifiers),
                SqlArray.texts(actions), SqlArray.texts(targets), SqlArray.bigints(expected),
                SqlArray.texts(expectedTypes), SqlArray.texts(rejections), SqlArray.texts(details),
                SqlArray.texts(notes), SqlArray.bigints(sources));
    }

    /**
     * Stages a chunk of upload records named by one identifier column ({@code learner_id}, {@code external_id}
     * or {@code email}, ignoring case), looking their learners up in the same statement. A malformed record
     * has no key: it is staged with its rejection and no learner.
     *
     * @param keys per record, the identifier to look up (emails lower-case, learner ids canonical) where it is
     *             not the identifier as written, else null (a malformed record has no key either way)
     */
    public void insertStaged(long jobInstanceId, long orgId, String identifierColumn, List<StagedRecord> records,
            List<String> keys) {
        String lookup = switch (identifierColumn) {
            case CsvColumns.LEARNER_ID -> "l.id = cast(d.match_key as bigint)";
            case CsvColumns.EXTERNAL_ID -> "l.external_id = d.match_key";
            case CsvColumns.EMAIL -> dialect == DatabaseDialect.H2 ? "l.email_lower = d.match_key"
                    : "lower(l.email) = d.match_key";
            default -> throw new IllegalArgumentException("not an identifier column: " + identifierColumn);
        };
        int n = records.size();
        List<Long> recordNumbers = new ArrayList<>(n);
        List<String> identifiers = new ArrayList<>(n);
        List<String> actions = new ArrayList<>(n);
        List<String> targets = new ArrayList<>(n);
        List<String> rejections = new ArrayList<>(n);
        List<String> details = new ArrayList<>(n);
        List<String> notes = new ArrayList<>(n);
        for (StagedRecord record : records) {
            boolean malformed = record.malformed() != null;
            recordNumbers.add(record.recordNumber());
            identifiers.add(record.identifier());
            actions.add(malformed || record.action() == null ? null : record.action().name());
            targets.add(malformed ? null : record.targetType());
            rejections.add(malformed ? Reason.MALFORMED_RECORD.name() : null);
            details.add(record.malformed());
            notes.add(malformed ? null : record.note());
        }
        SqlArray[] columns = {SqlArray.bigints(recordNumbers), SqlArray.texts(identifiers),
                SqlArray.texts(keys).emptyIfAllNull(), SqlArray.texts(actions), SqlArray.texts(targets),
                SqlArray.texts(rejections).emptyIfAllNull(), SqlArray.texts(details).emptyIfAllNull(),
                SqlArray.texts(notes).emptyIfAllNull()};
        if (dialect == DatabaseDialect.H2) {
            Sql.update(jdbc, INSERT_STAGED_H2.formatted(lookup), jobInstanceId, orgId, orgId, columns[0], columns[1],
                    columns[2], columns[3], columns[4], columns[5], columns[6], columns[7]);
        } else {
            Sql.update(jdbc, INSERT_STAGED_POSTGRESQL.formatted(lookup), jobInstanceId, orgId, columns[0], columns[1],
                    columns[2], columns[3], columns[4], columns[5], columns[6], columns[7], orgId);
        }
    }

    /** Rejects the repeated records of an upload (see {@link #MARK_REPEATS}); returns how many it rejected. */
    public int markRepeats(long jobInstanceId) {
        return jdbc.update(MARK_REPEATS, jobInstanceId, jobInstanceId, jobInstanceId);
    }

    /** Records, in the selection's transaction, that the job instance's selection is complete. */
    public void markTaken(long jobInstanceId, long items) {
        jdbc.update(MARK_TAKEN, jobInstanceId, items);
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;
    private final DatabaseDialect dialect;

    public SelectionSnapshot(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.namedJdbc = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = DatabaseDialect.of(jdbc);
    }
}
