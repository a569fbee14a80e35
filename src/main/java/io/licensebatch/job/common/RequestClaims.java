package io.licensebatch.job.common;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.db.DatabaseDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Who runs a change request's job instance right now. The process that starts or restarts it claims the
 * request first, before Spring Batch creates the execution, and holds the claim until the run has ended: a
 * PostgreSQL advisory lock on a connection of its own. A {@code kill -9} (or a lost machine) ends that
 * session and so frees the claim, so an execution left running whose claim is free is dead, and one whose
 * claim is held is alive somewhere: no timer decides, and no execution is ever "still starting".
 *
 * <p>The claim must stay true while the run lasts. A watch checks every held claim's connection each
 * {@code license-batch.claim-check-interval}; when one was cut (an idle timeout, a firewall,
 * {@code pg_terminate_backend}), the claim is taken again on a new connection if nobody else took it in the
 * meantime, and otherwise the run is told it lost its claim and stops at once ({@link Claim#whenLost}).
 * Even before it notices, it cannot change anything twice: whoever took the claim marked its executions
 * failed first, and every chunk's commit checks its step execution's version.
 *
 * <p>On the embedded H2 file database only one process can have the database open at all, so the claims of
 * the process that has it are all there are: they are kept in this JVM, per database.
 */
@Component
public class RequestClaims implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RequestClaims.class);

    /** license-batch's advisory lock keys for requests: "LB" in the top bits, the request id below. */
    private static final long NAMESPACE = 0x4C42L << 48;
    /** ... and for the apply step's partitions run by workers: "LP", the job instance id, the range's number. */
    private static final long PARTITIONS = 0x4C50L << 48;

    private static final String TRY_LOCK = "select pg_try_advisory_lock(?)";
    private static final String UNLOCK = "select pg_advisory_unlock(?)";
    private static final String HOLDER = """
            select a.pid, a.client_addr, a.backend_start
              from pg_locks l join pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and l.granted
               and l.classid = ? and l.objid = ? and l.objsubid = 1
            """;
    /**
     * A session whose client vanished without closing it (a lost machine, a cut network) holds its locks
     * until the server notices: with these settings within about a minute, rather than TCP's two hours.
     */
    private static final String KEEPALIVE = """
            set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3
            """;

    /** H2: the requests claimed in this JVM, per database URL (the one process that can open it). */
    private static final Map<String, Set<Long>> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final DataSource dataSource;
    private final boolean postgres;
    private final Set<Long> claimedHere;
    private final Map<Long, HeldClaim> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watch;

    public RequestClaims(DataSource dataSource, JdbcTemplate jdbc, LicenseBatchProperties properties) {
        this.dataSource = dataSource;
        this.postgres = DatabaseDialect.of(jdbc) == DatabaseDialect.POSTGRESQL;
        this.claimedHere = postgres ? null : IN_THIS_JVM.computeIfAbsent(url(jdbc), url -> ConcurrentHashMap.newKeySet());
        this.watch = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "license-batch-claim-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.claimCheckInterval().toMillis();
        watch.scheduleWithFixedDelay(this::checkAll, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** A held claim; closing it gives it up. */
    public interface Claim extends AutoCloseable {

        /** What to do if the claim is lost while held (another process took it): called once, from the watch. */
        void whenLost(Runnable action);

        /** True once the claim was lost. */
        boolean isLost();

        @Override
        void close();
    }

    /** Claims the request if no other session holds it. */
    public Optional<Claim> claim(long requestId) {
        return claim(NAMESPACE | requestId, "request " + requestId);
    }

    /**
     * Claims one range of a job instance's apply step, for the worker process that runs it (see
     * {@code remote/PartitionWorker}): a partition request delivered twice never runs twice at once.
     */
    public Optional<Claim> claimPartition(long jobInstanceId, int range) {
        return claim(partitionKey(jobInstanceId, range), "range " + range + " of job instance " + jobInstanceId);
    }

    /**
     * The ranges of a job instance whose claims some live session holds (workers run them right now), all at once:
     * one read of the lock table, for the manager's poll. Read, not tried: a try would hold a claim for a moment,
     * and a worker taking the range then would be turned away.
     */
    public Set<Integer> heldPartitions(long jobInstanceId) {
        long base = partitionKey(jobInstanceId, 0);
        Set<Integer> held = new HashSet<>();
        if (!postgres) {
            for (long key : claimedHere) {
                if ((key & ~0xFFFFL) == base) {
                    held.add((int) (key & 0xFFFF));
                }
            }
            return held;
        }
        long objidHigh = (base & 0xFFFF_FFFFL) >>> 16;
        new JdbcTemplate(dataSource).query(HELD, rs -> {
            long objid = rs.getLong(1);
            if (objid >>> 16 == objidHigh) {
                held.add((int) (objid & 0xFFFF));
            }
        }, base >>> 32);
        return held;
    }

    private static final String HELD = """
            select objid::bigint from pg_locks
             where locktype = 'advisory' and granted and classid::bigint = ? and objsubid = 1
            """;

    private static long partitionKey(long jobInstanceId, int range) {
        if (jobInstanceId >= 1L << 32 || range >= 1 << 16) {
            throw new IllegalArgumentException("job instance " + jobInstanceId + " range " + range
                    + " is beyond the partition claims' key space");
        }
        return PARTITIONS | jobInstanceId << 16 | range;
    }

    private Optional<Claim> claim(long key, String what) {
        if (!postgres) {
            return claimedHere.add(key) ? Optional.of(new HeldClaim(key, what, null)) : Optional.empty();
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (!tryLock(connection, key)) {
                connection.close();
                return Optional.empty();
            }
            keepAlive(connection);
            HeldClaim claim = new HeldClaim(key, what, connection);
            held.put(key, claim);
            return Optional.of(claim);
        } catch (SQLException e) {
            closeQuietlyAfter(connection, e);
            throw new IllegalStateException("cannot claim " + what + " (is the database reachable?)", e);
        }
    }

    /** True when some live session (this process or another) holds the request's claim right now. */
    public boolean isHeldElsewhere(long requestId) {
        return isHeld(NAMESPACE | requestId, "request " + requestId);
    }

    private boolean isHeld(long key, String what) {
        if (!postgres) {
            return claimedHere.contains(key);
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!tryLock(connection, key)) {
                return true;
            }
            unlock(connection, key);
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check whether " + what + " is being run", e);
        }
    }

    /** Which database session holds the claim, in words: "session 4242 from 10.0.0.7 since 02:30:01". */
    public Optional<String> holder(long requestId) {
        if (!postgres) {
            return Optional.empty();
        }
        long key = NAMESPACE | requestId;
        return new JdbcTemplate(dataSource).query(HOLDER, (rs, row) -> "database session " + rs.getLong("pid")
                + (rs.getString("client_addr") == null ? "" : " from " + rs.getString("client_addr"))
                + " (connected " + rs.getTimestamp("backend_start").toLocalDateTime().withNano(0) + ")",
                (int) (key >>> 32), (int) key).stream().findFirst();
    }

    @Override
    public void destroy() {
        watch.shutdownNow();
    }

    /** The watch: every held claim's connection must still be there (see the class comment). */
    void checkAll() {
        for (HeldClaim claim : held.values()) {
            try {
                claim.check();
            } catch (RuntimeException e) {
                log.warn("checking the claim of {} failed: {}", claim.what, e.toString());
            }
        }
    }

    private final class HeldClaim implements Claim {
        private final long key;
        private final String what;
        private Connection connection;
        private volatile boolean lost;
        private volatile boolean closed;
        private volatile Runnable onLost = () -> { };

        HeldClaim(long key, String what, Connection connection) {
            this.key = key;
            this.what = what;
            this.connection = connection;
        }

        @Override
        public void whenLost(Runnable action) {
            this.onLost = action;
        }

        @Override
        public boolean isLost() {
            return lost;
        }

        synchronized void check() {
            if (closed || lost || connection == null) {
                return;
            }
            if (isValid(connection)) {
                return;
            }
            log.warn("{}: the database connection that holds its claim was cut; claiming it again", what);
            closeQuietly(connection);
            connection = null;
            try {
                Connection fresh = dataSource.getConnection();
                if (tryLock(fresh, key)) {
                    keepAlive(fresh);
                    connection = fresh;
                    log.warn("{}: claimed again; the run goes on", what);
                    return;
                }
                fresh.close();
                lost = true;
                log.error("{}: another process took its claim while the connection was cut (a `restart`"
                        + " from another shell, or another worker?); this process stops its run now and changes"
                        + " nothing more", what);
                onLost.run();
            } catch (SQLException e) {
                // The database is out of reach: nothing can commit without it either; try again at the next check.
                log.warn("{}: cannot reach the database to claim it again ({})", what, e.getMessage());
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            held.remove(key, this);
            if (!postgres) {
                claimedHere.remove(key);
                return;
            }
            if (connection == null) {
                return;
            }
            try (Connection held = connection) {
                if (!lost) {
                    unlock(held, key);
                }
            } catch (SQLException e) {
                // The session is gone, and with it the lock: nothing is left to release.
                log.debug("{}: releasing its claim: {}", what, e.getMessage());
            }
            connection = null;
        }
    }

    private static String url(JdbcTemplate jdbc) {
        return jdbc.execute((Connection connection) -> connection.getMetaData().getURL());
    }

    private static boolean isValid(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(5);
            statement.execute("select 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        return call(connection, TRY_LOCK, key);
    }

    private static void unlock(Connection connection, long key) throws SQLException {
        call(connection, UNLOCK, key);
    }

    private static boolean call(Connection connection, String sql, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void keepAlive(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(KEEPALIVE);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a cut connection: {}", e.getMessage());
        }
    }

    private static void closeQuietlyAfter(Connection connection, SQLException failure) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
