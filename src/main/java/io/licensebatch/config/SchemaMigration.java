package io.licensebatch.config;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Runs Flyway only when the database is behind. Every command starts the application, and Flyway's scan and
 * validation of the migrations cost 0.3-0.4 s each time; one query tells whether the latest migration is
 * there already. {@code SchemaMigrationTest} keeps {@link #LATEST_VERSION} in step with the migrations.
 */
@Configuration
class SchemaMigration {

    /** The version of the newest migration under db/migration. */
    static final String LATEST_VERSION = "4";

    private static final String APPLIED = """
            select count(*) from flyway_schema_history where version = ? and success
            """;

    @Bean
    FlywayMigrationStrategy migrateWhenBehind() {
        return flyway -> {
            if (!isCurrent(flyway.getConfiguration().getDataSource())) {
                flyway.migrate();
            }
        };
    }

    static boolean isCurrent(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!hasHistory(connection.getMetaData())) {
                return false;
            }
            try (PreparedStatement statement = connection.prepareStatement(APPLIED)) {
                statement.setString(1, LATEST_VERSION);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema version: " + e.getMessage(), e);
        }
    }

    private static boolean hasHistory(DatabaseMetaData metaData) throws SQLException {
        for (String name : new String[] {"flyway_schema_history", "FLYWAY_SCHEMA_HISTORY"}) {
            try (ResultSet tables = metaData.getTables(null, null, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
