package io.licensebatch.cli;

import io.licensebatch.demo.SampleDataLoader;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples in jobs/ are what operators copy: each one runs, as a dry run, on the demo's sample data
 * (the data their comments name), selects somebody, and changes nothing.
 */
class JobExamplesTest {

    static String db;
    static JdbcTemplate jdbc;

    /** The demo's accounts as the demo loads them, before its jobs change them. */
    @BeforeAll
    static void theDemosData() {
        db = TestDatabases.create("job_examples");
        assertThat(Cli.execute("verify", "--db", db)).as("the schema, on an empty database").isZero();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db);
        jdbc = new JdbcTemplate(dataSource);
        new SampleDataLoader(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource))).load();
    }

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("jobs"))) {
            List<Path> specs = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
            assertThat(specs).as("job specs in jobs/").isNotEmpty();
            return specs.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void eachJobSpecRunsAsADryRun(Path spec) {
        String before = assignments();

        assertThat(Cli.execute("run", spec.toString(), "--dry-run", "--db", db)).as(spec.toString()).isZero();

        assertThat(dryRunOutcomesOfTheLastRun()).as(spec + " selects somebody").isPositive();
        assertThat(assignments()).as("a dry run changes nothing").isEqualTo(before);
    }

    @Test
    void theNightlyRulesRunAsADryRun() {
        String before = assignments();

        assertThat(Cli.execute("reorganise", "--rules", "jobs/rules/nightly.yaml", "--dry-run", "--db", db)).isZero();

        assertThat(dryRunOutcomesOfTheLastRun()).as("the rules find drifted learners in the sample data").isPositive();
        assertThat(assignments()).as("a dry run changes nothing").isEqualTo(before);
    }

    private static long dryRunOutcomesOfTheLastRun() {
        Long n = jdbc.queryForObject("""
                select count(*) from license_change_outcome
                 where status like 'WOULD_%' and job_instance_id = (select max(job_instance_id) from batch_job_instance)
                """, Long.class);
        return n == null ? 0 : n;
    }

    /** Every assignment, current and ended: a fingerprint of the licenses as they are. */
    private static String assignments() {
        return jdbc.queryForObject("select count(*) || '/' || coalesce(sum(id), 0) || '/' || count(ended_at)"
                + " from license_assignment", String.class);
    }
}
