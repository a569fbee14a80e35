package io.licensebatch.job.apply;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs the writer's work inside the chunk transaction behind savepoints, so that a failure costs only
 * what failed:
 * <ul>
 * <li>a transient failure (deadlock, lock timeout, serialization) rolls back to the savepoint and tries
 * again, a few times, before it fails the chunk (and the step: {@code restart} resumes there);</li>
 * <li>any other failure rolls back to the savepoint and is thrown: the writer narrows a data error (a
 * constraint, a trigger) down to the items that cause it, which get a {@code FAILED} outcome that says why.</li>
 * </ul>
 * Spring Batch's own retry and skip are not used for this: they retry inside a transaction that
 * PostgreSQL has already aborted, and a skipped write rewrites the chunk one item per transaction.
 */
class ChunkTransaction {

    private final DataSource dataSource;
    private final int transientRetries;
    private final Duration backoff;

    ChunkTransaction(DataSource dataSource, int transientRetries, Duration backoff) {
        this.dataSource = dataSource;
        this.transientRetries = transientRetries;
        this.backoff = backoff;
    }

    /** Runs the work behind a savepoint of its own: on any failure, only the work is rolled back. */
    <R> R inSavepoint(Supplier<R> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        for (int attempt = 1; ; attempt++) {
            Savepoint savepoint = setSavepoint(connection);
            try {
                R result = work.get();
                release(connection, savepoint);
                return result;
            } catch (TransientDataAccessException transientFailure) {
                rollback(connection, savepoint, transientFailure);
                if (attempt > transientRetries) {
                    throw transientFailure;
                }
                pause(backoff.multipliedBy(attempt));
            } catch (RuntimeException failure) {
                rollback(connection, savepoint, failure);
                throw failure;
            }
        }
    }

    /** The database's own words, one line: what an operator needs to see in the outcome. */
    static String describe(Exception failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String firstLine = message.lines().findFirst().orElse(message).strip();
        return firstLine.length() > 500 ? firstLine.substring(0, 500) : firstLine;
    }

    private static Savepoint setSavepoint(Connection connection) {
        try {
            return connection.setSavepoint();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set a savepoint in the chunk transaction", e);
        }
    }

    private static void release(Connection connection, Savepoint savepoint) {
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release a savepoint in the chunk transaction", e);
        }
    }

    /** Rolls back to the savepoint; if even that fails, the failure that led here is thrown with it attached. */
    private static void rollback(Connection connection, Savepoint savepoint, RuntimeException cause) {
        try {
            connection.rollback(savepoint);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            throw cause;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a chunk", e);
        }
    }
}
