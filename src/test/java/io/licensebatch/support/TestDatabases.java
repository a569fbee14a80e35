package io.licensebatch.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fresh PostgreSQL databases for tests, so that runs (and test classes) never see each other's data. The
 * server is the machine's PostgreSQL ({@code LICENSE_BATCH_TEST_PG}, default 127.0.0.1:5432, user postgres);
 * every database created here is dropped when the test JVM exits.
 */
public final class TestDatabases {

    private static final String SERVER = System.getenv().getOrDefault("LICENSE_BATCH_TEST_PG",
            "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getenv().getOrDefault("LICENSE_BATCH_TEST_PG_USER", "postgres");
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
    }

    private TestDatabases() {
    }

    /** Creates an empty database and returns its JDBC URL (user included). */
    public static String create(String purpose) {
        String name = ("lbt_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("create database " + name);
        CREATED.add(name);
        return url(name);
    }

    /** Creates a copy of a database (nobody may be connected to it) and returns the copy's JDBC URL. */
    public static String copyOf(String templateUrl, String purpose) {
        String template = templateUrl.substring(SERVER.length(), templateUrl.indexOf('?'));
        String name = ("lbt_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("create database " + name + " template " + template + " strategy file_copy");
        CREATED.add(name);
        return url(name);
    }

    public static String url(String database) {
        return SERVER + database + "?user=" + USER;
    }

    public static String user() {
        return USER;
    }

    private static void dropAll() {
        for (String name : CREATED) {
            try {
                execute("drop database if exists " + name + " with (force)");
            } catch (IllegalStateException e) {
                System.err.println("could not drop test database " + name + ": " + e.getMessage());
            }
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
