package io.licensebatch.config;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the application's PostgreSQL sessions are set up (see {@link PostgresSessions}): no parallel workers for
 * its short queries, statements always planned with their values (no server-side prepared statements, so no
 * generic plans), and the server's own plan cache left alone, so that foreign-key checks keep their plans.
 */
class PostgresSessionsTest extends PostgresIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void sessionsPlanWithTheirValuesWithoutReplanningEveryForeignKeyCheck() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.unwrap(PGConnection.class).getPrepareThreshold())
                    .as("never a server-side prepared statement, so never a generic plan").isZero();
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("show max_parallel_workers_per_gather", String.class)).isEqualTo("0");
        assertThat(jdbc.queryForObject("show plan_cache_mode", String.class))
                .as("force_custom_plan would re-plan the query of every foreign-key check, once per row")
                .isEqualTo("auto");
    }
}
