package io.licensebatch.selection;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.decision.LearnerState;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.outcome.Reason;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.StagedRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code selection_item} table: each job instance's snapshot of what it will change, taken once
 * before anything changes and read back a page at a time by its unique key (job_instance_id, item_no).
 */
@Repository
public class SelectionGateway {

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

    /** The item number {@code offset} items after the first one at or after {@code fromItemNo}. */
    private static final String ITEM_AT = """
            select item_no from selection_item where job_instance_id = ? and item_no >= ?
             order by item_no offset ? limit 1
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
            """.formatted(Reason.RETRYABLE_CONDITION);

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

    /** A migration: everyone currently on one type (in one org, or all), numbered by org then learner. */
    private static final String INSERT_MIGRATION = """
            insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type,
                   expected_assignment_id, expected_license_type, note)
            select ?, row_number() over (order by a.org_id, a.learner_id), a.org_id, a.learner_id, 'REASSIGN', ?,
                   a.id, a.license_type, ?
              from license_assignment a
             where a.license_type = ? and a.ended_at is null and (cast(? as bigint) is null or a.org_id = ?)
            """;

    private static final String COUNT_RETRYABLE = """
            select count(*) from license_change_outcome o where o.job_instance_id = ? and %s
            """.formatted(Reason.RETRYABLE_CONDITION);

    private static final String COUNT_CHANGED = """
            select count(*) from license_change_outcome where job_instance_id = ? and status in ('REASSIGNED', 'REVOKED')
            """;

    private static final String ORG_IDS = """
            select distinct org_id from selection_item where job_instance_id = ? and org_id is not null order by org_id
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

    private static final String TAKEN = """
            select items from selection_taken where job_instance_id = ?
            """;

    /**
     * The items of learners named more than once (rejected items left out), in learner and item order. One
     * pass with a window count (a million-record upload: 0.6 s, against 0.9 s for a grouped subquery).
     */
    private static final String REPEATED = """
            select item_no, learner_id, action, target_type
              from (select item_no, learner_id, action, target_type,
                           count(*) over (partition by learner_id) as named
                      from selection_item
                     where job_instance_id = ? and rejection is null and learner_id is not null) items
             where named > 1
             order by learner_id, item_no
            """;

    private static final String REJECT = """
            update selection_item
               set rejection = d.rejection
              from unnest(?, ?) as d (item_no, rejection)
             where selection_item.job_instance_id = ? and selection_item.item_no = d.item_no
            """;

    private static final String COUNT = """
            select count(*) from selection_item where job_instance_id = ?
            """;

    /** The first and last item number of a selection, and how many items it holds. */
    private static final String BOUNDS = """
            select min(item_no), max(item_no), count(*) from selection_item where job_instance_id = ?
            """;

    /**
     * An item that will need a seat in its target pool, as the frozen selection tells it: a reassignment of a
     * learner who was found, is not rejected already and is not on the target. (Some of them may still be
     * rejected when applied, say a deactivated learner; none of the others can take a seat.) Aliased {@code s}.
     */
    public static final String ARRIVAL = """
            s.action = 'REASSIGN' and s.rejection is null and s.learner_id is not null
               and (s.expected_license_type is null or s.expected_license_type <> s.target_type)""";

    /** The pools that more learners arrive in than they had seats free when the selection was taken. */
    private static final String SHORT_POOLS = """
            select s.org_id, s.target_type, count(*) as arrivals,
                   min(j.seats_total_before - j.seats_used_before) as free
              from selection_item s
              join job_seat_pool j on j.job_instance_id = s.job_instance_id and j.org_id = s.org_id
                                  and j.license_type = s.target_type
             where s.job_instance_id = ? and %s
             group by s.org_id, s.target_type
            having count(*) > min(j.seats_total_before - j.seats_used_before)
            """.formatted(ARRIVAL);

    /** Per planned range of a worker step, per pool: how many of the range's items arrive in the pool. */
    private static final String ARRIVALS_PER_RANGE = """
            select p.step_name, s.org_id, s.target_type, count(*) as arrivals
              from partition_plan p
              join selection_item s on s.job_instance_id = p.job_instance_id
                                   and s.item_no >= p.first_item and s.item_no <= p.last_item
             where p.job_instance_id = ? and p.step_name like ? and %s
             group by p.step_name, s.org_id, s.target_type
            """.formatted(ARRIVAL);

    /**
     * How far a range is, seat-wise, per pool: arrivals among its items up to {@code upTo}; seats its outcomes
     * took in the pool; seats they freed from it (a learner that left it). See {@code SeatBudget}.
     */
    private static final String ARRIVALS_UP_TO = """
            select s.org_id, s.target_type, count(*) as arrivals
              from selection_item s
             where s.job_instance_id = ? and s.item_no >= ? and s.item_no <= ? and %s
             group by s.org_id, s.target_type
            """.formatted(ARRIVAL);

    private static final String SEATS_TAKEN_AND_FREED = """
            select o.org_id, o.new_license_type as took, o.previous_license_type as freed, count(*) as n
              from license_change_outcome o
             where o.job_instance_id = ? and o.item_no >= ? and o.item_no <= ?
               and o.status in ('REASSIGNED', 'REVOKED', 'WOULD_REASSIGN', 'WOULD_REVOKE')
             group by o.org_id, o.new_license_type, o.previous_license_type
            """;

    /** What the selection would do to seats: per org, where learners come from and where they go. */
    private static final String SEAT_IMPACT = """
            select org_id, expected_license_type as from_type, action, target_type, count(*) as learners
              from selection_item
             where job_instance_id = ? and rejection is null and action is not null and learner_id is not null
             group by org_id, expected_license_type, action, target_type
             order by org_id, expected_license_type, action, target_type
            """;

    /**
     * One page of the snapshot with each learner's state as it is now. Items that already have an
     * outcome are done (the outcome is the process indicator), whatever a checkpoint says.
     *
     * <p>The learner and their current assignment are looked up item by item, by index, whatever the planner
     * believes: a lateral subquery with a limit is never flattened into a join, so it can never become a scan of
     * every current assignment per page (the plan PostgreSQL chose on tables without statistics, a minute per
     * page). On H2, which has no lateral joins, correlated subqueries do the same.
     */
    private static final String PAGE_POSTGRESQL = """
            select s.item_no, s.org_id, s.learner_id, s.record_number, s.identifier, s.action, s.target_type,
                   s.expected_assignment_id, s.expected_license_type, s.rejection, s.detail, s.note, s.source_execution_id,
                   l.org_id as learner_org_id, l.status as learner_status,
                   a.id as current_assignment_id, a.license_type as current_type
              from selection_item s
              left join lateral (select l.org_id, l.status from learner l where l.id = s.learner_id limit 1) l on true
              left join lateral (select a.id, a.license_type from license_assignment a
                                  where a.learner_id = s.learner_id and a.ended_at is null limit 1) a on true
             where s.job_instance_id = ? and s.item_no > ? and s.item_no <= ?
             order by s.item_no
             limit ?
            """;

    private static final String PAGE_H2 = """
            select s.item_no, s.org_id, s.learner_id, s.record_number, s.identifier, s.action, s.target_type,
                   s.expected_assignment_id, s.expected_license_type, s.rejection, s.detail, s.note, s.source_execution_id,
                   l.org_id as learner_org_id, l.status as learner_status,
                   (select a.id from license_assignment a where a.learner_id = s.learner_id and a.ended_at is null)
                       as current_assignment_id,
                   (select a.license_type from license_assignment a
                     where a.learner_id = s.learner_id and a.ended_at is null) as current_type
              from selection_item s
              left join learner l on l.id = s.learner_id
             where s.job_instance_id = ? and s.item_no > ? and s.item_no <= ?
             order by s.item_no
             limit ?
            """;


    /** The last item of a range that is staged (an upload's item numbers are its record numbers). */
    private static final String LAST_STAGED = """
            select max(item_no) from selection_item
             where job_instance_id = ? and item_no between ? and ?
            """;

    /** The last item of a range that has an outcome: every item up to it has one (see {@link #lastDone}). */
    private static final String LAST_DONE = """
            select max(item_no) from license_change_outcome
             where job_instance_id = ? and item_no between ? and ?
            """;

    private static final RowMapper<Candidate> CANDIDATE = SelectionGateway::candidate;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;
    private final DatabaseDialect dialect;

    public SelectionGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.namedJdbc = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = DatabaseDialect.of(jdbc);
    }

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

    /** The item number {@code offset} items after the first one at or after {@code fromItemNo}, if any. */
    public Optional<Long> itemAt(long jobInstanceId, long fromItemNo, long offset) {
        return jdbc.queryForList(ITEM_AT, Long.class, jobInstanceId, fromItemNo, offset).stream().findFirst();
    }

    /** Snapshots the retry of a source instance; returns how many items. */
    public int insertRetries(long jobInstanceId, long sourceInstanceId, long sourceExecutionId) {
        return jdbc.update(INSERT_RETRIES, jobInstanceId, sourceExecutionId, sourceInstanceId);
    }

    /** Snapshots the undo of a source instance; returns how many items. */
    public int insertUndo(long jobInstanceId, long sourceInstanceId, long sourceExecutionId, String note) {
        return jdbc.update(INSERT_UNDO, jobInstanceId, note, sourceExecutionId, sourceInstanceId);
    }

    /** Snapshots a migration from one type to another; returns how many learners. */
    public int insertMigration(long jobInstanceId, String fromType, String toType, Long orgId, String note) {
        return jdbc.update(INSERT_MIGRATION, jobInstanceId, toType, note, fromType, orgId, orgId);
    }

    /** How many of the instance's outcomes a retry would pick up. */
    public long countRetryable(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT_RETRYABLE, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    /** How many learners the instance changed (what an undo would look at). */
    public long countChanged(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT_CHANGED, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    /** The organizations a selection touches. */
    public List<Long> orgIds(long jobInstanceId) {
        return jdbc.queryForList(ORG_IDS, Long.class, jobInstanceId);
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

    /** An item of a learner named more than once. */
    public record Repeat(long itemNo, long learnerId, Action action, String targetType) {
    }

    public List<Repeat> repeatedLearners(long jobInstanceId) {
        return jdbc.query(REPEATED, (rs, row) -> new Repeat(rs.getLong("item_no"), rs.getLong("learner_id"),
                Action.valueOf(rs.getString("action")), rs.getString("target_type")), jobInstanceId);
    }

    /** Marks items rejected (by item number) in one statement. */
    public void reject(long jobInstanceId, java.util.Map<Long, Reason> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        List<Long> itemNos = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        rejections.forEach((itemNo, reason) -> {
            itemNos.add(itemNo);
            reasons.add(reason.name());
        });
        Sql.update(jdbc, REJECT, SqlArray.bigints(itemNos), SqlArray.texts(reasons), jobInstanceId);
    }

    /**
     * Refreshes the planner's statistics of the snapshot table after a large selection was inserted: with the
     * estimates of an empty table, the aggregates over it (seat impact, repeated learners) sort on disk.
     * Rows inserted by this transaction count as live for ANALYZE, so it works before the commit. PostgreSQL
     * only: H2's ANALYZE commits the open transaction, which would save half a selection (and its planner
     * does not need it at the embedded default's sizes).
     */
    public void analyze() {
        if (dialect == DatabaseDialect.POSTGRESQL) {
            // A 3,000-row sample (the default is 30,000, which reads most pages of a million-item selection:
            // 0.39 s instead of 0.05 s) is plenty for what the plans need: the table's size and its few
            // distinct orgs, types and actions.
            jdbc.execute("set local default_statistics_target = 10");
            jdbc.execute("analyze selection_item");
            jdbc.execute("set local default_statistics_target to default");
        }
    }

    /**
     * Lets the rest of the current transaction's queries use the server's parallel workers: for the few
     * queries that scan a whole selection (counts, seat impact, partition bounds), which halve with them. The
     * sessions' default is none (see {@code PostgresSessions}); only this transaction changes.
     */
    public void allowParallelQueryInThisTransaction() {
        if (dialect == DatabaseDialect.POSTGRESQL) {
            jdbc.execute("set local max_parallel_workers_per_gather to default");
        }
    }

    /** Records, in the selection's transaction, that the job instance's selection is complete. */
    public void markTaken(long jobInstanceId, long items) {
        jdbc.update(MARK_TAKEN, jobInstanceId, items);
    }

    /** How many items the job instance's completed selection holds; empty while it has none. */
    public java.util.OptionalLong taken(long jobInstanceId) {
        List<Long> items = jdbc.queryForList(TAKEN, Long.class, jobInstanceId);
        return items.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(items.get(0));
    }

    public long count(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    /** The first and last item number of the selection and how many items it holds; empty for none. */
    public Optional<long[]> bounds(long jobInstanceId) {
        return jdbc.query(BOUNDS, rs -> {
            rs.next();
            long first = rs.getLong(1);
            return rs.wasNull() ? Optional.<long[]>empty() : Optional.of(new long[] {first, rs.getLong(2), rs.getLong(3)});
        }, jobInstanceId);
    }

    /** A pool that more of the selection's learners arrive in than it had seats free when it was taken. */
    public record ShortPool(long orgId, String licenseType, long arrivals, long free) {
    }

    public List<ShortPool> shortPools(long jobInstanceId) {
        return jdbc.query(SHORT_POOLS, (rs, row) -> new ShortPool(rs.getLong("org_id"), rs.getString("target_type"),
                rs.getLong("arrivals"), rs.getLong("free")), jobInstanceId);
    }

    /** Arrivals per planned range (by step name) and pool: {@code step name -> org -> type -> count}. */
    public void arrivalsPerRange(long jobInstanceId, String workerStep, RangeArrivals handler) {
        jdbc.query(ARRIVALS_PER_RANGE, rs -> {
            handler.arrivals(rs.getString("step_name"), rs.getLong("org_id"), rs.getString("target_type"),
                    rs.getLong("arrivals"));
        }, jobInstanceId, workerStep + ":%");
    }

    public interface RangeArrivals {
        void arrivals(String stepName, long orgId, String licenseType, long arrivals);
    }

    /** Arrivals per pool among the items from {@code first} to {@code upTo}. */
    public void arrivalsUpTo(long jobInstanceId, long first, long upTo, PoolCount handler) {
        jdbc.query(ARRIVALS_UP_TO, rs -> {
            handler.count(rs.getLong("org_id"), rs.getString("target_type"), rs.getLong("arrivals"));
        }, jobInstanceId, first, upTo);
    }

    /** Per pool, seats the outcomes from {@code first} to {@code upTo} took in it, and freed from it. */
    public void seatsTakenAndFreed(long jobInstanceId, long first, long upTo, PoolCount taken, PoolCount freed) {
        jdbc.query(SEATS_TAKEN_AND_FREED, rs -> {
            long orgId = rs.getLong("org_id");
            long n = rs.getLong("n");
            String took = rs.getString("took");
            String left = rs.getString("freed");
            if (took != null) {
                taken.count(orgId, took, n);
            }
            if (left != null) {
                freed.count(orgId, left, n);
            }
        }, jobInstanceId, first, upTo);
    }

    public interface PoolCount {
        void count(long orgId, String licenseType, long n);
    }

    public List<SeatImpact.Flow> seatFlows(long jobInstanceId) {
        return jdbc.query(SEAT_IMPACT, (rs, row) -> new SeatImpact.Flow(rs.getLong("org_id"),
                rs.getString("from_type"), Action.valueOf(rs.getString("action")), rs.getString("target_type"),
                rs.getLong("learners")), jobInstanceId);
    }

    /** Up to {@code limit} items after {@code afterItemNo}, up to {@code lastItemNo}, in item order. */
    public List<Candidate> page(long jobInstanceId, long afterItemNo, long lastItemNo, int limit) {
        return jdbc.query(dialect == DatabaseDialect.H2 ? PAGE_H2 : PAGE_POSTGRESQL, CANDIDATE, jobInstanceId, afterItemNo,
                lastItemNo, limit);
    }

    /**
     * Where a partition stopped: the last item of the range with an outcome, or {@code firstItemNo - 1}. A
     * partition reads its range in item order and commits each chunk's outcomes together, so the items with
     * an outcome are always a prefix of the range: the outcome rows are the process indicator.
     */
    public long lastDone(long jobInstanceId, long firstItemNo, long lastItemNo) {
        Long last = jdbc.queryForObject(LAST_DONE, Long.class, jobInstanceId, firstItemNo, lastItemNo);
        return last == null ? firstItemNo - 1 : last;
    }

    /**
     * Where a staging partition stopped: the last record of its range that is staged, or {@code first - 1}. A
     * partition stages its range in record order and commits each chunk's rows together, so the staged records
     * are always a prefix of the range.
     */
    public long lastStaged(long jobInstanceId, long firstRecord, long lastRecord) {
        Long last = jdbc.queryForObject(LAST_STAGED, Long.class, jobInstanceId, firstRecord, lastRecord);
        return last == null ? firstRecord - 1 : last;
    }

    /** By column number, in {@link #PAGE_POSTGRESQL}'s order: a page is read per chunk, and lookups by name add up. */
    private static Candidate candidate(ResultSet rs, int row) throws SQLException {
        String action = rs.getString(6);
        String rejection = rs.getString(10);
        SelectionItem item = new SelectionItem(rs.getLong(1), rs.getObject(2, Long.class),
                rs.getObject(3, Long.class), rs.getObject(4, Long.class),
                rs.getString(5), action == null ? null : Action.valueOf(action),
                rs.getString(7), rs.getObject(8, Long.class),
                rs.getString(9), rejection == null ? null : Reason.valueOf(rejection),
                rs.getString(11), rs.getString(12),
                rs.getObject(13, Long.class));
        String status = rs.getString(15);
        LearnerState learner = status == null ? LearnerState.NOT_FOUND
                : LearnerState.of(rs.getLong(14), LearnerStatus.valueOf(status),
                        rs.getObject(16, Long.class), rs.getString(17));
        return new Candidate(item, learner);
    }
}
