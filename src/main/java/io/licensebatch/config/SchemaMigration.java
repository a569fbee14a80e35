package io.licensebatch.config;

import io.licensebatch.db.DatabaseDialect;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * Brings the database's schema up to date with the Flyway migrations under db/migration (common/, then
 * postgresql/ or h2/), when the application starts, before anything uses the database (the {@link Detector}
 * tells Spring Boot this is a database initializer, so JdbcTemplate and the job repository wait for it).
 *
 * <p>Every command starts the application, and Flyway itself is expensive to start: building it (its plugin
 * scan and configuration) took 0.3 s of each start, more than any command's own queries. So one query first
 * tells whether the latest migration is there already, and Flyway is built only when the database is behind
 * (a new database, or a new release). Spring Boot's own Flyway start-up is switched off
 * ({@code spring.flyway.enabled=false}). {@code SchemaMigrationTest} keeps {@link #LATEST_VERSION} in step
 * with the migrations.
 */
@Component
public class SchemaMigration implements InitializingBean {

    /** The version of the newest migration under db/migration. */
    static final String LATEST_VERSION = "8";

    private static final String APPLIED = """
            select count(*) from flyway_schema_history where version = ? and success
            """;

    private final DataSource dataSource;

    SchemaMigration(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() {
        if (!isCurrent(dataSource)) {
            String vendor = DatabaseDialect.of(new JdbcTemplate(dataSource)).name().toLowerCase(Locale.ROOT);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                    .load()
                    .migrate();
        }
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

    /** Registered in META-INF/spring.factories: beans that use the database are created after this one. */
    public static final class Detector extends AbstractBeansOfTypeDatabaseInitializerDetector {
        @Override
        protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
            return Set.of(SchemaMigration.class);
        }
    }
}
