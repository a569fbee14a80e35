package io.licensebatch.cli;

import io.licensebatch.config.Secrets;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which database to use: {@code --db URL}, else {@code LICENSE_BATCH_DB_URL} (with
 * {@code LICENSE_BATCH_DB_USER} and {@code LICENSE_BATCH_DB_PASSWORD}), else the embedded H2 file
 * database under {@code ./data/}.
 */
public class DatabaseOptions {

    /**
     * What license-batch needs of H2; added to an H2 URL that does not set it. Its SQL needs the first three; the
     * last keeps H2 from closing the database in a shutdown hook of its own at SIGTERM, under the run that is
     * stopping at its chunk boundary (the application closes it when the run has stopped).
     */
    static final List<String> H2_SETTINGS = List.of("MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE",
            "DEFAULT_NULL_ORDERING=HIGH", "DB_CLOSE_ON_EXIT=FALSE");

    static final String EMBEDDED_URL = "jdbc:h2:file:./data/license-batch;" + String.join(";", H2_SETTINGS);

    @Option(names = "--db", paramLabel = "URL",
            description = "JDBC URL of the database, e.g. jdbc:postgresql://127.0.0.1:5432/licenses?user=postgres"
                    + " (default: LICENSE_BATCH_DB_URL, else an embedded H2 file database under ./data/)")
    String url;

    /** The JDBC URL license-batch will open (checked, H2's settings added); refused (exit 2) when unfit. */
    String jdbcUrl(Map<String, String> environment) {
        String chosen = url != null ? url : environment.get("LICENSE_BATCH_DB_URL");
        if (chosen == null || chosen.isBlank()) {
            chosen = EMBEDDED_URL;
        }
        if (chosen.startsWith("postgresql://") || chosen.startsWith("postgres://")) {
            chosen = "jdbc:postgresql://" + chosen.substring(chosen.indexOf("://") + 3);
        }
        if (!chosen.startsWith("jdbc:postgresql:") && !chosen.startsWith("jdbc:h2:")) {
            throw new UsageException("--db: '" + Secrets.mask(chosen) + "' is not a PostgreSQL or H2 JDBC URL"
                    + " (jdbc:postgresql://HOST:PORT/DATABASE or jdbc:h2:file:PATH)");
        }
        if (chosen.startsWith("jdbc:h2:")) {
            refuseH2CodeOrServers(chosen);
            chosen = withH2Settings(chosen);
        } else {
            refuseCredentialsInTheAuthority(chosen);
            refusePostgresClassParameters(chosen);
        }
        return chosen;
    }

    /** Whether license-batch would open an H2 database (the embedded default, or an H2 URL). */
    boolean isH2(Map<String, String> environment) {
        return jdbcUrl(environment).startsWith("jdbc:h2:");
    }

    /**
     * {@code jdbc:postgresql://user:password@host/...}: the driver does not read credentials there (it takes
     * them for the host name, and says so with the password in its message), so the URL is refused before
     * anything sees it.
     */
    static void refuseCredentialsInTheAuthority(String url) {
        String rest = url.substring("jdbc:postgresql:".length());
        if (rest.startsWith("//")) {
            int end = rest.indexOf('/', 2);
            String authority = rest.substring(2, end < 0 ? rest.length() : end);
            int query = authority.indexOf('?');
            if ((query < 0 ? authority : authority.substring(0, query)).contains("@")) {
                throw new UsageException("--db: a PostgreSQL JDBC URL takes no user or password before the host"
                        + " (user:password@host); give them as LICENSE_BATCH_DB_USER and LICENSE_BATCH_DB_PASSWORD"
                        + " (or ?user=NAME in the URL, and the password in LICENSE_BATCH_DB_PASSWORD)");
            }
        }
    }

    /** The Spring properties (as command-line arguments) that point the application at the database. */
    List<String> springArguments(Map<String, String> environment) {
        String chosen = jdbcUrl(environment);
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
     * The settings of an H2 URL license-batch accepts; every other one is refused, since several run code or
     * reach out: INIT runs SQL (and through CREATE ALIAS, Java) as the database opens, RUNSCRIPT-style and TRACE
     * settings read and write files, AUTO_SERVER opens the database to the network.
     */
    static final Set<String> H2_ALLOWED = Set.of("MODE", "DATABASE_TO_LOWER", "DEFAULT_NULL_ORDERING",
            "DB_CLOSE_DELAY", "DB_CLOSE_ON_EXIT", "IFEXISTS", "LOCK_TIMEOUT", "USER", "PASSWORD");

    /** pgjdbc parameters that name a class to load, or a file to write: never from a URL license-batch is given. */
    static final Set<String> POSTGRES_REFUSED = Set.of("socketfactory", "socketfactoryarg", "sslfactory",
            "sslfactoryarg", "sslhostnameverifier", "sslpasswordcallback", "authenticationpluginclassname",
            "loggerfile", "loggerlevel", "jaasapplicationname");

    static void refuseH2CodeOrServers(String url) {
        String rest = url.substring("jdbc:h2:".length());
        String where = rest.contains(";") ? rest.substring(0, rest.indexOf(';')) : rest;
        String lower = where.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.startsWith("zip:")
                || lower.startsWith("split:") || lower.startsWith("nio")) {
            throw new UsageException("--db: license-batch opens an H2 database as a file or in memory"
                    + " (jdbc:h2:file:PATH or jdbc:h2:mem:NAME), not '" + lower.substring(0, lower.indexOf(':') + 1)
                    + "'");
        }
        for (String setting : rest.contains(";") ? rest.substring(rest.indexOf(';') + 1).split(";") : new String[0]) {
            String key = (setting.contains("=") ? setting.substring(0, setting.indexOf('=')) : setting).strip()
                    .toUpperCase(Locale.ROOT);
            if (!key.isEmpty() && !H2_ALLOWED.contains(key)) {
                throw new UsageException("--db: the H2 setting " + key + " is not accepted (settings such as INIT and"
                        + " RUNSCRIPT run code as the database opens); license-batch takes "
                        + String.join(", ", new java.util.TreeSet<>(H2_ALLOWED)));
            }
        }
    }

    static void refusePostgresClassParameters(String url) {
        if (!url.contains("?")) {
            return;
        }
        for (String parameter : url.substring(url.indexOf('?') + 1).split("&")) {
            String key = (parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter)
                    .strip().toLowerCase(Locale.ROOT);
            if (POSTGRES_REFUSED.contains(key)) {
                throw new UsageException("--db: the PostgreSQL URL parameter " + key + " is not accepted (it names a"
                        + " class to load or a file to write)");
            }
        }
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
