package io.licensebatch.db;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import java.util.List;

/** Runs statements whose parameters include {@link SqlArray}s. */
public final class Sql {

    private Sql() {
    }

    public static <T> List<T> query(JdbcTemplate jdbc, String sql, RowMapper<T> rowMapper, Object... parameters) {
        return jdbc.query(connection -> SqlArray.bind(connection, connection.prepareStatement(sql), parameters),
                rowMapper);
    }

    public static int update(JdbcTemplate jdbc, String sql, Object... parameters) {
        return jdbc.update(connection -> SqlArray.bind(connection, connection.prepareStatement(sql), parameters));
    }

    /** Inserts one row and returns the {@code id} the database gave it. */
    public static long insertReturningId(JdbcTemplate jdbc, String sql, Object... parameters) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> SqlArray.bind(connection, connection.prepareStatement(sql, new String[] {"id"}),
                parameters), keys);
        return keys.getKey().longValue();
    }
}
