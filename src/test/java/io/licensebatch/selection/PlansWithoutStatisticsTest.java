package io.licensebatch.selection;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.Commands;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.util.List;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's hot statements must not fall off a cliff on tables without planner statistics (a server whose
 * autovacuum is off) or when PostgreSQL switches a prepared statement to its generic plan: the page query, run
 * by every chunk, looks each learner and assignment up by index whatever the planner believes; every job
 * analyzes the platform tables that have no statistics at all; and {@code generate} leaves them behind, and
 * counts a platform's seat pools in the transaction that filled the (so far unanalyzed) tables without a plan
 * that compares every org with every org.
 */
class PlansWithoutStatisticsTest {

    @Test
    void thePageOfAChunkLooksItsLearnersUpByIndexWithoutStatisticsAndWithAGenericPlan() {
        String db = TestDatabases.create("plans");
        assertThat(Cli.execute("status", "--db", db)).isZero();
        JdbcTemplate setup = jdbc(db);
        setup.execute("insert into organization (name) values ('Plan Co')");
        setup.execute("insert into license_type (code, name) values ('LEARNING_PRO', 'Pro')");
        setup.execute("""
                insert into learner (org_id, email, display_name, status)
                select 1, 'learner' || g || '@plan.example', 'Learner ' || g, 'ACTIVE' from generate_series(1, 30000) g
                """);
        setup.execute("""
                insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
                select id, 1, 'LEARNING_PRO', localtimestamp, 'test' from learner
                """);
        setup.execute("""
                insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type)
                select 999, id, 1, id, 'REVOKE', null from learner
                """);
        assertThat(count(setup, "select count(*) from pg_stats where tablename in ('learner', 'license_assignment')"))
                .as("no statistics, as on a server whose autovacuum is off").isZero();

        SingleConnectionDataSource connection = new SingleConnectionDataSource(db, true);
        try {
            JdbcTemplate session = new JdbcTemplate(connection);
            session.execute("set plan_cache_mode = force_generic_plan");
            session.execute("prepare page (bigint, bigint, bigint, int) as "
                    + SelectionReads.PAGE_POSTGRESQL.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2")
                    .replaceFirst("\\?", "\\$3").replaceFirst("\\?", "\\$4"));
            List<String> plan = session.queryForList("explain (analyze, costs off, timing off) execute page(999, 5000,"
                    + " 30000, 2000)", String.class);
            String text = String.join("\n", plan);
            assertThat(text).as(text).contains("Index Scan using license_assignment_one_current")
                    .contains("Index Scan using learner_pkey").doesNotContain("Seq Scan on license_assignment")
                    .doesNotContain("Seq Scan on learner").doesNotContain("Materialize").doesNotContain("Hash");
        } finally {
            connection.destroy();
        }
        setup.execute("delete from selection_item where job_instance_id = 999");

        Commands run = Commands.run(db, "revoke", "--org", "Plan Co", "--learner", "1", "--dry-run");
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(count(setup, "select count(distinct tablename) from pg_stats where tablename in ('learner',"
                + " 'license_assignment')")).as("the job analyzed the tables it reads").isEqualTo(2);
    }

    @Test
    void generateLeavesPlannerStatisticsBehind() {
        String db = TestDatabases.create("plans_generate");
        assertThat(Cli.execute("generate", "--db", db, "--org", "Stats Co", "--learners", "2000")).isZero();
        assertThat(count(jdbc(db), "select count(distinct tablename) from pg_stats where tablename in ('learner',"
                + " 'license_assignment', 'learning_activity', 'license_pool')")).isEqualTo(4);
    }

    /**
     * A platform's seat pools are counted in the transaction that filled the (so far unanalyzed) tables: one pool
     * per org and type, each holding exactly its org's current assignments of that type. (The count used to be a
     * join that PostgreSQL merged on the license type alone, every org against every org: 20,000 orgs of one
     * learner took 23 s instead of 1 s. How long it takes is for the benchmark, bench/platform.sh; this is what
     * it must produce.)
     */
    @Test
    void aPlatformOfManySmallOrgsGetsEveryPoolWithItsOwnOrgsSeats() {
        String db = TestDatabases.create("plans_platform");
        Commands generate = Commands.run(db, "generate", "--org", "Tiny", "--orgs", "20000", "--learners", "1");
        assertThat(generate.code()).as(generate.output()).isZero();
        JdbcTemplate platform = jdbc(db);
        assertThat(count(platform, "select count(*) from license_pool")).isEqualTo(20_000L * count(platform,
                "select count(*) from license_type"));
        assertThat(count(platform, """
                select count(*) from license_pool p
                 where p.seats_used <> (select count(*) from license_assignment a where a.org_id = p.org_id
                                           and a.license_type = p.license_type and a.ended_at is null)
                """)).as("every pool counts its own org's current assignments").isZero();
        assertThat(count(platform, "select count(*) from license_pool where seats_total < seats_used")).isZero();
    }
}
