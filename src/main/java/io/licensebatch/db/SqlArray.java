package io.licensebatch.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * A typed array bound as one statement parameter. The hot path binds a whole chunk this way
 * ({@code = any(?)}, {@code unnest(?, ?, ...)}): one statement per table per chunk, never one per
 * learner, and pgjdbc only rewrites batched inserts, not updates.
 *
 * @param sqlType the element type as PostgreSQL names it ({@code bigint}, {@code varchar}, ...)
 */
public record SqlArray(String sqlType, Object[] values) {

    public static SqlArray bigints(Collection<Long> values) {
        return new SqlArray("bigint", values.toArray(new Long[0]));
    }

    public static SqlArray integers(Collection<Integer> values) {
        return new SqlArray("integer", values.toArray(new Integer[0]));
    }

    public static SqlArray texts(Collection<String> values) {
        return new SqlArray("varchar", values.toArray(new String[0]));
    }

    public static SqlArray timestamps(Collection<java.sql.Timestamp> values) {
        return new SqlArray("timestamp", values.toArray(new java.sql.Timestamp[0]));
    }

    Array toJdbc(Connection connection) throws SQLException {
        return connection.createArrayOf(sqlType, values);
    }

    /** Binds the parameters in order: a {@link SqlArray} as an array, anything else as an object. */
    public static PreparedStatement bind(Connection connection, PreparedStatement statement, Object... parameters)
            throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter instanceof SqlArray array) {
                statement.setArray(i + 1, array.toJdbc(connection));
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
        return statement;
    }
}
