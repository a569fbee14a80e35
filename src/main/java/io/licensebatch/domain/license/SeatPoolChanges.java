package io.licensebatch.domain.license;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Seat pools as an operator sets them ({@code pools set}): the pool's new total, refused below the seats in use,
 * written with its audit row ({@code seat_pool_change}) in one transaction, under the pool's row lock, so that a
 * job taking seats at the same moment is never over-allocated and no change goes unrecorded.
 */
@Repository
public class SeatPoolChanges {

    private static final String LOCK = """
            select seats_total, seats_used from license_pool where org_id = ? and license_type = ? for update
            """;

    private static final String UPDATE = """
            update license_pool set seats_total = ? where org_id = ? and license_type = ?
            """;

    private static final String CREATE = """
            insert into license_pool (org_id, license_type, seats_total, seats_used) values (?, ?, ?, 0)
            """;

    private static final String RECORD = """
            insert into seat_pool_change (org_id, license_type, seats_before, seats_after, seats_used, changed_by,
                   changed_at, note)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String HISTORY = """
            select c.id, c.org_id, o.name as org_name, c.license_type, c.seats_before, c.seats_after, c.seats_used,
                   c.changed_by, c.changed_at, c.note
              from seat_pool_change c
              join organization o on o.id = c.org_id
             where (cast(? as bigint) is null or c.org_id = ?)
             order by c.id desc
             limit ?
            """;

    /** One recorded change; {@code seatsBefore} is null where the change created the pool. */
    public record Change(long id, long orgId, String org, String licenseType, Integer seatsBefore, int seatsAfter,
            int seatsUsed, String changedBy, LocalDateTime changedAt, String note) {
    }

    /** A total below the seats in use: the pool would be over-allocated. Nothing was changed. */
    public static class BelowUsed extends RuntimeException {

        public final int used;

        BelowUsed(int used) {
            super("below the " + used + " seats in use");
            this.used = used;
        }
    }

    private static final RowMapper<Change> CHANGE = (rs, row) -> new Change(rs.getLong("id"), rs.getLong("org_id"),
            rs.getString("org_name"), rs.getString("license_type"), (Integer) rs.getObject("seats_before",
            Integer.class), rs.getInt("seats_after"), rs.getInt("seats_used"), rs.getString("changed_by"),
            rs.getTimestamp("changed_at").toLocalDateTime(), rs.getString("note"));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public SeatPoolChanges(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * Sets a pool's total (creating the pool if the org has none of the type) and records who did it.
     *
     * @return the seats before (empty: the pool was created) and the seats used
     * @throws BelowUsed when {@code seats} is below the seats in use
     */
    public Change set(long orgId, String licenseType, int seats, String changedBy, String note) {
        return transaction.execute(status -> {
            Optional<int[]> pool = jdbc.query(LOCK, (rs, row) -> new int[] {rs.getInt("seats_total"),
                    rs.getInt("seats_used")}, orgId, licenseType).stream().findFirst();
            Integer before = pool.map(p -> p[0]).orElse(null);
            int used = pool.map(p -> p[1]).orElse(0);
            if (seats < used) {
                throw new BelowUsed(used);
            }
            if (pool.isPresent()) {
                jdbc.update(UPDATE, seats, orgId, licenseType);
            } else {
                jdbc.update(CREATE, orgId, licenseType, seats);
            }
            LocalDateTime now = LocalDateTime.now();
            jdbc.update(RECORD, orgId, licenseType, before, seats, used, changedBy, Timestamp.valueOf(now), note);
            return new Change(0, orgId, null, licenseType, before, seats, used, changedBy, now, note);
        });
    }

    /** The most recent changes, newest first; of one org, or of all ({@code orgId} null). */
    public List<Change> history(Long orgId, int limit) {
        return jdbc.query(HISTORY, CHANGE, orgId, orgId, limit);
    }
}
