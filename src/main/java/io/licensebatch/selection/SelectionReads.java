package io.licensebatch.selection;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.decision.LearnerState;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.outcome.Reason;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Reads a job instance's selection snapshot on the apply side: a page of it at a time by its unique key
 * (job_instance_id, item_no) with each learner's state as it is now, where a range stopped (its outcome rows, or
 * its staged rows, are the process indicator), how to cut it into ranges, and what its ranges need of the seats.
 */
@Repository
public class SelectionReads {

    /**
     * The item number {@code offset} items after the first one at or after {@code fromItemNo}. Ordered by the whole
     * key and written {@code limit 1 offset ?} so that H2 takes it too (and walks the key: ScansOnH2Test), should
     * it ever cut an H2 selection into ranges.
     */
    static final String ITEM_AT = """
            select item_no from selection_item where job_instance_id = ? and item_no >= ?
             order by job_instance_id, item_no limit 1 offset ?
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

    /**
     * One page of the snapshot with each learner's state as it is now. Items that already have an
     * outcome are done (the outcome is the process indicator), whatever a checkpoint says.
     *
     * <p>The learner and their current assignment are looked up item by item, by index, whatever the planner
     * believes: a lateral subquery with a limit is never flattened into a join, so it can never become a scan of
     * every current assignment per page (the plan PostgreSQL chose on tables without statistics, a minute per
     * page). On H2, which has no lateral joins, correlated subqueries do the same.
     */
    static final String PAGE_POSTGRESQL = """
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

    /**
     * H2's page: ordered by the whole key, from its first column, so that H2 walks the key and stops at the limit
     * (ordered by the item alone it read and sorted the rest of the range for every page: ScansOnH2Test).
     */
    static final String PAGE_H2 = """
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
             order by s.job_instance_id, s.item_no
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

    private static final RowMapper<Candidate> CANDIDATE = SelectionReads::candidate;

    /** The item number {@code offset} items after the first one at or after {@code fromItemNo}, if any. */
    public Optional<Long> itemAt(long jobInstanceId, long fromItemNo, long offset) {
        return jdbc.queryForList(ITEM_AT, Long.class, jobInstanceId, fromItemNo, offset).stream().findFirst();
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

    private final JdbcTemplate jdbc;
    private final DatabaseDialect dialect;

    public SelectionReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = DatabaseDialect.of(jdbc);
    }
}
