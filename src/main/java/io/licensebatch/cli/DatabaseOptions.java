package io.licensebatch.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which database to use: {@code --db URL}, else {@code LICENSE_BATCH_DB_URL} (with
 * {@code LICENSE_BATCH_DB_USER} and {@code LICENSE_BATCH_DB_PASSWORD}), else the embedded H2 file
 * database under {@code ./data/}.
 */
public class DatabaseOptions {

    /** What license-batch's SQL needs of H2; added to an H2 URL that does not set it. */
    static final List<String> H2_SETTINGS = List.of("MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE",
            "DEFAULT_NULL_ORDERING=HIGH");

    static final String EMBEDDED_URL = "jdbc:h2:file:./data/license-batch;" + String.join(";", H2_SETTINGS);

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
        if (chosen.startsWith("jdbc:h2:")) {
            chosen = withH2Settings(chosen);
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

    /**
     * An H2 URL with each of {@link #H2_SETTINGS} that it does not set itself (a setting it does set is kept,
     * but the mode must be PostgreSQL's).
     */
    static String withH2Settings(String url) {
        StringBuilder complete = new StringBuilder(url);
        String upper = url.toUpperCase(Locale.ROOT);
        if (upper.contains(";MODE=") && !upper.contains(";MODE=POSTGRESQL")) {
            throw new UsageException("--db: license-batch runs H2 in its PostgreSQL mode; remove the MODE setting"
                    + " from '" + url + "' (MODE=PostgreSQL is added to an H2 URL that does not set it)");
        }
        for (String setting : H2_SETTINGS) {
            String key = setting.substring(0, setting.indexOf('=') + 1);
            if (!upper.contains(";" + key)) {
                complete.append(';').append(setting);
            }
        }
        return complete.toString();
    }
}
