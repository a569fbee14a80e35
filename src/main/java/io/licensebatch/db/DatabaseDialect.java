package io.licensebatch.db;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.DatabaseMetaData;
import java.util.Locale;

/**
 * The few places where PostgreSQL (production) and H2 (the embedded default) need different SQL. Every
 * other statement is written once, in the dialect both accept (H2 runs in PostgreSQL mode).
 */
public enum DatabaseDialect {
    POSTGRESQL,
    H2;

    public static DatabaseDialect of(JdbcTemplate jdbc) {
        String product = jdbc.execute((java.sql.Connection connection) -> {
            DatabaseMetaData metaData = connection.getMetaData();
            return metaData.getDatabaseProductName();
        });
        if (product != null && product.toLowerCase(Locale.ROOT).contains("postgres")) {
            return POSTGRESQL;
        }
        if (product != null && product.toLowerCase(Locale.ROOT).contains("h2")) {
            return H2;
        }
        throw new IllegalStateException("license-batch runs on PostgreSQL or H2, not on " + product);
    }

    /**
     * A data-changing statement that also returns the rows it changed: {@code RETURNING} on PostgreSQL,
     * a {@code FINAL TABLE} delta table on H2.
     */
    public String returning(String dml, String columns) {
        return switch (this) {
            case POSTGRESQL -> dml + " returning " + columns;
            case H2 -> "select " + columns + " from final table (" + dml + ")";
        };
    }
}
