package io.licensebatch.support;

import io.licensebatch.cli.Cli;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for the tests that run license-batch in separate JVMs and watch them through the database. */
public final class Processes {

    private Processes() {
    }

    /** A fresh database holding a generated account (the same account for the same seed). */
    public static String databaseWithAccount(String purpose, String org, int learners, long seed) {
        String db = TestDatabases.create(purpose);
        assertThat(Cli.execute("generate", "--db", db, "--org", org, "--learners", String.valueOf(learners),
                "--seed", String.valueOf(seed))).isZero();
        return db;
    }

    /**
     * The same, on a server as busy as a production one: every chunk's outcome and staging statement takes at
     * least 10 ms more (see {@link Faults#slowDown}), so that a run lasts long enough to be acted on mid-way.
     */
    public static String busyDatabaseWithAccount(String purpose, String org, int learners, long seed) {
        String db = databaseWithAccount(purpose, org, learners, seed);
        Faults.slowDown(jdbc(db), "license_change_outcome", 10);
        Faults.slowDown(jdbc(db), "selection_item", 10);
        return db;
    }

    /** Polls the database while the process runs; fails at once if it ends first. */
    public static ConditionFactory whileAlive(CliProcess process) {
        return Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .failFast("the job ended before the moment to act on it", () -> !process.isAlive());
    }

    public static String[] with(String[] arguments, String... more) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    public static JdbcTemplate jdbc(String url) {
        return new JdbcTemplate(new DriverManagerDataSource(url));
    }

    public static long count(JdbcTemplate jdbc, String sql, Object... parameters) {
        Long n = jdbc.queryForObject(sql, Long.class, parameters);
        return n == null ? 0 : n;
    }

    public static long lastExecution(JdbcTemplate jdbc) {
        return count(jdbc, "select max(job_execution_id) from batch_job_execution");
    }

    public static String status(JdbcTemplate jdbc, long execution) {
        return jdbc.queryForObject("select status from batch_job_execution where job_execution_id = ?", String.class,
                execution);
    }
}
