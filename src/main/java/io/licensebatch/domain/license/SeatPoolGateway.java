package io.licensebatch.domain.license;

import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code license_pool} table, and {@code job_seat_pool}: the pools as a job instance found them, which
 * a dry run allocates from instead of the real ones.
 *
 * <p>Pools are always locked in (org, type) order, so two chunks or two jobs never deadlock on them.
 */
@Repository
public class SeatPoolGateway {

    private static final String LOCK = """
            select org_id, license_type, seats_total, seats_used
              from license_pool
             where org_id = any(?) and license_type = any(?)
             order by org_id, license_type
               for update
            """;

    private static final String READ = """
            select org_id, license_type, seats_total, seats_used
              from license_pool
             where org_id = any(?) and license_type = any(?)
            """;

    /**
     * A dry run's pools of a chunk, joined from the chunk's orgs: H2 uses an index for a list of values only on
     * its first column, and {@code job_instance_id = ? and org_id = any(?)} read every pool of the run for every
     * chunk (ScansOnH2Test).
     */
    public static final String READ_SIMULATED = """
            select j.org_id, j.license_type, j.seats_total, j.seats_used
              from unnest(?) as k (org_id)
              join job_seat_pool j on j.job_instance_id = ? and j.org_id = k.org_id
             where j.license_type = any(?)
            """;

    public static final String LOCK_SIMULATED = """
            select j.org_id, j.license_type, j.seats_total, j.seats_used
              from unnest(?) as k (org_id)
              join job_seat_pool j on j.job_instance_id = ? and j.org_id = k.org_id
             where j.license_type = any(?)
             order by j.org_id, j.license_type
               for update
            """;

    private static final String APPLY_DELTAS = """
            update license_pool
               set seats_used = seats_used + d.used_delta, seats_total = seats_total + d.total_delta
              from unnest(?, ?, ?, ?) as d (org_id, license_type, used_delta, total_delta)
             where license_pool.org_id = d.org_id and license_pool.license_type = d.license_type
            """;

    private static final String APPLY_SIMULATED_DELTAS = """
            update job_seat_pool
               set seats_used = seats_used + d.used_delta, seats_total = seats_total + d.total_delta
              from unnest(?, ?, ?, ?) as d (org_id, license_type, used_delta, total_delta)
             where job_seat_pool.job_instance_id = ?
               and job_seat_pool.org_id = d.org_id and job_seat_pool.license_type = d.license_type
            """;

    private static final String SELECT_BY_ORG = """
            select org_id, license_type, seats_total, seats_used
              from license_pool where org_id = ? order by license_type
            """;

    private static final String SELECT_BY_ORGS = """
            select org_id, license_type, seats_total, seats_used
              from license_pool where org_id = any(?) order by org_id, license_type
            """;

    private static final String CREATE_EMPTY_FOR_SELECTION = """
            insert into license_pool (org_id, license_type, seats_total, seats_used)
            select distinct s.org_id, ?, 0, 0
              from selection_item s
             where s.job_instance_id = ?
               and not exists (select 1 from license_pool p where p.org_id = s.org_id and p.license_type = ?)
            """;

    /**
     * A dry run's stand-in for the pools a real seat transfer would create: only where the org has no pool of the
     * type (one it has is simulated from itself, by the snapshot).
     */
    private static final String SIMULATE_EMPTY_FOR_SELECTION = """
            insert into job_seat_pool (job_instance_id, org_id, license_type, seats_total_before, seats_used_before,
                                       seats_total, seats_used)
            select distinct s.job_instance_id, s.org_id, ?, 0, 0, 0, 0
              from selection_item s
             where s.job_instance_id = ?
               and not exists (select 1 from job_seat_pool j where j.job_instance_id = s.job_instance_id
                                  and j.org_id = s.org_id and j.license_type = ?)
               and not exists (select 1 from license_pool p where p.org_id = s.org_id and p.license_type = ?)
            """;

    /**
     * Not "not exists": without statistics on job_seat_pool the planner probes it once per pool (a nested loop,
     * 0.4 s for the 8,000 pools of a platform-wide run); "not in" hashes the instance's rows once.
     */
    private static final String SNAPSHOT = """
            insert into job_seat_pool (job_instance_id, org_id, license_type,
                                       seats_total_before, seats_used_before, seats_total, seats_used)
            select ?, org_id, license_type, seats_total, seats_used, seats_total, seats_used
              from license_pool p
             where org_id = any(?)
               and (org_id, license_type) not in (select j.org_id, j.license_type from job_seat_pool j
                                                   where j.job_instance_id = ?)
            """;

    private static final String SELECT_SNAPSHOT = """
            select j.org_id, j.license_type, j.seats_total_before, j.seats_used_before,
                   j.seats_total as simulated_total, j.seats_used as simulated_used,
                   p.seats_total as current_total, p.seats_used as current_used
              from job_seat_pool j
              left join license_pool p on p.org_id = j.org_id and p.license_type = j.license_type
             where j.job_instance_id = ?
             order by j.org_id, j.license_type
            """;

    private static final RowMapper<SeatPool> SEAT_POOL = (rs, row) -> new SeatPool(
            new PoolKey(rs.getLong("org_id"), rs.getString("license_type")),
            rs.getInt("seats_total"), rs.getInt("seats_used"));

    private final JdbcTemplate jdbc;

    public SeatPoolGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the named pools until the transaction ends, in (org, type) order, and returns them. A key
     * without a pool is simply absent from the result.
     */
    public Map<PoolKey, SeatPool> lock(Collection<PoolKey> keys) {
        return keyed(Sql.query(jdbc, LOCK, SEAT_POOL, orgIds(keys), types(keys)), keys);
    }

    /** The named pools as last committed, without a lock (a plan made from it is checked under the lock). */
    public Map<PoolKey, SeatPool> read(Collection<PoolKey> keys) {
        return keyed(Sql.query(jdbc, READ, SEAT_POOL, orgIds(keys), types(keys)), keys);
    }

    /** As {@link #read} for the simulated pools of a dry run. */
    public Map<PoolKey, SeatPool> readSimulated(long jobInstanceId, Collection<PoolKey> keys) {
        return keyed(Sql.query(jdbc, READ_SIMULATED, SEAT_POOL, orgIds(keys), jobInstanceId, types(keys)), keys);
    }

    /** As {@link #lock} for the simulated pools of a dry run. */
    public Map<PoolKey, SeatPool> lockSimulated(long jobInstanceId, Collection<PoolKey> keys) {
        return keyed(Sql.query(jdbc, LOCK_SIMULATED, SEAT_POOL, orgIds(keys), jobInstanceId, types(keys)), keys);
    }

    public void apply(Collection<SeatDelta> deltas) {
        if (!deltas.isEmpty()) {
            Sql.update(jdbc, APPLY_DELTAS, deltaArrays(deltas));
        }
    }

    public void applySimulated(long jobInstanceId, Collection<SeatDelta> deltas) {
        if (!deltas.isEmpty()) {
            Object[] arrays = deltaArrays(deltas);
            Sql.update(jdbc, APPLY_SIMULATED_DELTAS, arrays[0], arrays[1], arrays[2], arrays[3], jobInstanceId);
        }
    }

    public List<SeatPool> findByOrg(long orgId) {
        return jdbc.query(SELECT_BY_ORG, SEAT_POOL, orgId);
    }

    /** The pools of several orgs in one query (a platform-wide run touches thousands). */
    public List<SeatPool> findByOrgs(Collection<Long> orgIds) {
        return Sql.query(jdbc, SELECT_BY_ORGS, SEAT_POOL, SqlArray.bigints(orgIds));
    }

    /** Gives every org of a selection a pool of the type (0 seats) where it has none; returns how many. */
    public int createEmptyForSelection(long jobInstanceId, String licenseType) {
        return jdbc.update(CREATE_EMPTY_FOR_SELECTION, licenseType, jobInstanceId, licenseType);
    }

    /** In a dry run: simulated empty pools of the type where the selection's orgs have none. */
    public void simulateEmptyForSelection(long jobInstanceId, String licenseType) {
        jdbc.update(SIMULATE_EMPTY_FOR_SELECTION, licenseType, jobInstanceId, licenseType, licenseType);
    }

    /** Records the orgs' pools as the job instance found them (once: a restart keeps the first record). */
    public void snapshot(long jobInstanceId, Collection<Long> orgIds) {
        Sql.update(jdbc, SNAPSHOT, jobInstanceId, SqlArray.bigints(orgIds), jobInstanceId);
    }

    /** The pools a job instance recorded: before, as simulated by a dry run, and as they are now. */
    public List<PoolSnapshot> snapshotOf(long jobInstanceId) {
        return jdbc.query(SELECT_SNAPSHOT, (rs, row) -> new PoolSnapshot(
                new PoolKey(rs.getLong("org_id"), rs.getString("license_type")),
                rs.getInt("seats_total_before"), rs.getInt("seats_used_before"),
                rs.getInt("simulated_total"), rs.getInt("simulated_used"),
                rs.getInt("current_total"), rs.getInt("current_used")), jobInstanceId);
    }

    /** A pool before a job, as a dry run simulated it, and now. */
    public record PoolSnapshot(PoolKey key, int totalBefore, int usedBefore, int simulatedTotal, int simulatedUsed,
            int currentTotal, int currentUsed) {
    }

    private static Map<PoolKey, SeatPool> keyed(List<SeatPool> rows, Collection<PoolKey> wanted) {
        Map<PoolKey, SeatPool> byKey = new LinkedHashMap<>();
        for (SeatPool pool : rows) {
            if (wanted.contains(pool.key())) {
                byKey.put(pool.key(), pool);
            }
        }
        return byKey;
    }

    /**
     * In ascending order, whatever the caller's: H2 locks a dry run's simulated pools as it joins them from this
     * array, before it sorts, so the array's order is the lock order (ascending in every process).
     */
    private static SqlArray orgIds(Collection<PoolKey> keys) {
        return SqlArray.bigints(keys.stream().map(PoolKey::orgId).distinct().sorted().toList());
    }

    private static SqlArray types(Collection<PoolKey> keys) {
        return SqlArray.texts(keys.stream().map(PoolKey::licenseType).distinct().toList());
    }

    private static Object[] deltaArrays(Collection<SeatDelta> deltas) {
        List<Long> orgs = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        List<Integer> total = new ArrayList<>();
        for (SeatDelta delta : deltas) {
            orgs.add(delta.key().orgId());
            types.add(delta.key().licenseType());
            used.add(delta.usedDelta());
            total.add(delta.totalDelta());
        }
        return new Object[] {SqlArray.bigints(orgs), SqlArray.texts(types), SqlArray.integers(used),
                SqlArray.integers(total)};
    }
}
