package io.licensebatch.job.common;

import io.licensebatch.db.DatabaseDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a live execution from a dead one. The process that runs a job instance holds a PostgreSQL
 * advisory lock on it, on its own connection, for as long as it runs; a {@code kill -9} ends the session
 * and so releases the lock. An execution left {@code STARTED} whose lock is free is dead and can be
 * recovered; one whose lock is held is alive in some process and must not be touched.
 *
 * <p>On the embedded H2 file database only one process can have the database open at all, so any
 * execution a process finds {@code STARTED} there was left by a process that is gone.
 */
@Component
public class InstanceLocks {

    /** The first key of license-batch's advisory locks ("LB"); the second is the job instance id. */
    private static final int NAMESPACE = 0x4C42;

    private static final String TRY_LOCK = "select pg_try_advisory_lock(?, ?)";
    private static final String UNLOCK = "select pg_advisory_unlock(?, ?)";

    private final DataSource dataSource;
    private final DatabaseDialect dialect;

    public InstanceLocks(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.dialect = DatabaseDialect.of(jdbc);
    }

    /** A held lock; closing it releases the lock and its connection. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the instance's lock if no other session holds it. */
    public Optional<Lease> tryLock(long jobInstanceId) {
        if (dialect == DatabaseDialect.H2) {
            return Optional.of(() -> { });
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (call(connection, TRY_LOCK, jobInstanceId)) {
                Connection held = connection;
                return Optional.of(() -> release(held, jobInstanceId));
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeAfterFailure(connection, e);
            throw new IllegalStateException("cannot check whether job instance " + jobInstanceId + " is running", e);
        }
    }

    /** True when some live session (this process or another) runs the instance right now. */
    public boolean isHeldElsewhere(long jobInstanceId) {
        Optional<Lease> lease = tryLock(jobInstanceId);
        lease.ifPresent(Lease::close);
        return lease.isEmpty();
    }

    private static boolean call(Connection connection, String sql, long jobInstanceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, (int) jobInstanceId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void release(Connection connection, long jobInstanceId) {
        try (connection) {
            call(connection, UNLOCK, jobInstanceId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release the lock of job instance " + jobInstanceId
                    + " (it is released anyway when the process ends)", e);
        }
    }

    private static void closeAfterFailure(Connection connection, SQLException failure) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
