package io.licensebatch.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which database to use: {@code --db URL}, else {@code LICENSE_BATCH_DB_URL} (with
 * {@code LICENSE_BATCH_DB_USER} and {@code LICENSE_BATCH_DB_PASSWORD}), else the embedded H2 file
 * database under {@code ./data/}.
 */
public class DatabaseOptions {

    static final String EMBEDDED_URL =
            "jdbc:h2:file:./data/license-batch;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @Option(names = "--db", paramLabel = "URL",
            description = "JDBC URL of the database, e.g. jdbc:postgresql://127.0.0.1:5432/licenses?user=postgres"
                    + " (default: LICENSE_BATCH_DB_URL, else an embedded H2 file database under ./data/)")
    String url;

    /** The Spring properties (as command-line arguments) that point the application at the database. */
    List<String> springArguments(Map<String, String> environment) {
        String chosen = url != null ? url : environment.get("LICENSE_BATCH_DB_URL");
        if (chosen == null || chosen.isBlank()) {
            chosen = EMBEDDED_URL;
        }
        if (chosen.startsWith("postgresql://") || chosen.startsWith("postgres://")) {
            chosen = "jdbc:postgresql://" + chosen.substring(chosen.indexOf("://") + 3);
        }
        if (!chosen.startsWith("jdbc:postgresql:") && !chosen.startsWith("jdbc:h2:")) {
            throw new UsageException("--db: '" + chosen + "' is not a PostgreSQL or H2 JDBC URL"
                    + " (jdbc:postgresql://HOST:PORT/DATABASE or jdbc:h2:file:PATH)");
        }
        List<String> arguments = new ArrayList<>();
        arguments.add("--spring.datasource.url=" + chosen);
        String user = environment.get("LICENSE_BATCH_DB_USER");
        String password = environment.get("LICENSE_BATCH_DB_PASSWORD");
        if (user != null) {
            arguments.add("--spring.datasource.username=" + user);
        } else if (chosen.startsWith("jdbc:h2:")) {
            arguments.add("--spring.datasource.username=sa");
        }
        if (password != null) {
            arguments.add("--spring.datasource.password=" + password);
        }
        return arguments;
    }
}
