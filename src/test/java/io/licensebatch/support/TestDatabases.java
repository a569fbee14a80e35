package io.licensebatch.support;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fresh PostgreSQL databases for tests, so that runs (and test classes) never see each other's data. The
 * server is the machine's PostgreSQL ({@code LICENSE_BATCH_TEST_PG}, default 127.0.0.1:5432, user postgres);
 * every database created here is dropped when the test JVM exits. A JVM that is killed cannot drop its own, so
 * each name carries the pid of the JVM that made it ({@code lbt_PID_purpose_random}), and the first database a
 * test JVM creates is preceded by dropping every {@code lbt_} database whose JVM is gone.
 */
public final class TestDatabases {

    private static final String SERVER = System.getenv().getOrDefault("LICENSE_BATCH_TEST_PG",
            "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getenv().getOrDefault("LICENSE_BATCH_TEST_PG_USER", "postgres");
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static final List<Path> H2_FOLDERS = new CopyOnWriteArrayList<>();

    private static final long PID = ProcessHandle.current().pid();
    private static final Pattern NAME = Pattern.compile("lbt_(\\d+)_.*");

    static {
        dropThoseOfDeadJvms();
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
    }

    private TestDatabases() {
    }

    /** Creates an empty database and returns its JDBC URL (user included). */
    public static String create(String purpose) {
        String name = newName(purpose);
        execute("create database " + name);
        CREATED.add(name);
        return url(name);
    }

    /** Creates a copy of a database (nobody may be connected to it) and returns the copy's JDBC URL. */
    public static String copyOf(String templateUrl, String purpose) {
        String template = templateUrl.substring(SERVER.length(), templateUrl.indexOf('?'));
        String name = newName(purpose);
        execute("create database " + name + " template " + template + " strategy file_copy");
        CREATED.add(name);
        return url(name);
    }

    private static String newName(String purpose) {
        return ("lbt_" + PID + "_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** Drops the test databases of JVMs that no longer run (killed ones), and those of names without a pid. */
    static void dropThoseOfDeadJvms() {
        List<String> stale = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url("postgres"));
             Statement statement = connection.createStatement();
             ResultSet names = statement.executeQuery("select datname from pg_database where datname like 'lbt\\_%'")) {
            while (names.next()) {
                Matcher matcher = NAME.matcher(names.getString(1));
                if (!matcher.matches() || ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    stale.add(names.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing the test databases failed (is PostgreSQL running on " + SERVER
                    + "?)", e);
        }
        stale.forEach(TestDatabases::drop);
    }

    /** Points a test's application context at a new PostgreSQL database. */
    public static void postgres(DynamicPropertyRegistry registry) {
        String url = create("it");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", TestDatabases::user);
        registry.add("spring.datasource.password", () -> "");
    }

    /** Points a test's application context at a new H2 file database, in a folder deleted when the JVM exits. */
    public static void h2(DynamicPropertyRegistry registry) {
        String url = h2Url("it");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    /** The URL of a new H2 file database (with the settings license-batch adds to every H2 URL), user sa. */
    public static String h2Url(String purpose) {
        try {
            Path folder = Files.createTempDirectory("lbt-h2-" + purpose);
            H2_FOLDERS.add(folder);
            return h2UrlAt(folder.resolve(purpose));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of the H2 file database at {@code file} (without .mv.db), with the settings license-batch adds. */
    public static String h2UrlAt(Path file) {
        return "jdbc:h2:file:" + file
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** A plain connection to an H2 file database as license-batch's user, sa. */
    public static JdbcTemplate h2Jdbc(String url) {
        return new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
    }

    public static String url(String database) {
        return SERVER + database + "?user=" + USER;
    }

    public static String user() {
        return USER;
    }

    private static void dropAll() {
        CREATED.forEach(TestDatabases::drop);
        for (Path folder : H2_FOLDERS) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete test database folder " + folder + ": " + e.getMessage());
            }
        }
    }

    private static void drop(String name) {
        try {
            execute("drop database if exists " + name + " with (force)");
        } catch (IllegalStateException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed (is PostgreSQL running on " + SERVER + "?)", e);
        }
    }
}
