package io.licensebatch.job.reorganise;

import io.licensebatch.cli.Cli;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Commands;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.whileAlive;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The nightly reorganisation through its command line, on PostgreSQL. */
class ReorganiseTest {

    @TempDir
    static Path dir;

    static String db;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("reorganise");
        assertThat(Cli.execute("status", "--db", db)).isZero();
        jdbc = jdbc(db);
    }

    @Test
    void eachNightMovesExactlyTheLearnersWhoseLicenseDriftedFromTheRules() throws IOException {
        Account night = new TestAccounts(jdbc).account("Night Co").pool(PRO, 200).pool(HUB, 200).pool(ESSENTIALS, 200);
        long sales = night.learner(aLearner().department("Sales").onLicense(PRO));
        long salesOnHub = night.learner(aLearner().department("Sales").onLicense(HUB));
        long support = night.learner(aLearner().department("Support").onLicense(PRO));
        long leaver = night.learner(aLearner().department("Finance").status(LearnerStatus.DEACTIVATED).onLicense(PRO));
        long finance = night.learner(aLearner().department("Finance").onLicense(PRO));
        long emea = night.learner(aLearner().department("Marketing").inGroup("EMEA"));
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            others.add(night.learner(aLearner().department("Finance").onLicense(PRO)));
        }
        Path rules = rules("nightly.yaml", night, """
                  - {name: leavers, when: {status: DEACTIVATED}, license: REVOKE}
                  - {name: sales, when: {department: Sales}, license: LEARNING_HUB}
                  - {name: support, when: {department: [support]}, license: LEARNING_ESSENTIALS}
                  - {name: emea, when: {group: emea}, license: LEARNING_PRO}
                """);

        Commands first = Commands.run(db, "reorganise", "--rules", rules.toString(), "--date", "2026-11-26");

        assertThat(first.code()).as(first.output()).isZero();
        assertThat(outcomes(first.execution())).containsOnly(entry(sales, "REASSIGNED"), entry(support, "REASSIGNED"),
                entry(leaver, "REVOKED"), entry(emea, "REASSIGNED"));
        assertThat(currentType(salesOnHub)).isEqualTo(HUB);
        assertThat(currentType(finance)).isEqualTo(PRO);

        Commands again = Commands.run(db, "reorganise", "--rules", rules.toString(), "--date", "2026-11-26");
        assertThat(again.code()).isZero();
        assertThat(again.execution()).as("the same night is done already").isEqualTo(first.execution());

        jdbc.update("update learner set department = 'Sales' where id = ?", finance);
        jdbc.update("update learner set department = 'Support' where id = ?", salesOnHub);
        Commands next = Commands.run(db, "reorganise", "--rules", rules.toString(), "--date", "2026-11-27");

        assertThat(next.code()).as(next.output()).isZero();
        assertThat(outcomes(next.execution())).containsOnly(entry(finance, "REASSIGNED"), entry(salesOnHub, "REASSIGNED"));
        assertThat(currentType(finance)).isEqualTo(HUB);
        assertThat(currentType(salesOnHub)).isEqualTo(ESSENTIALS);
        assertThat(others).allSatisfy(learner -> assertThat(currentType(learner)).isEqualTo(PRO));
        assertThat(Cli.execute("verify", "--db", db)).isZero();
    }

    @Test
    void aNightThatWouldChangeMostOfAnOrgIsStoppedUntilConfirmed() throws IOException {
        Account org = new TestAccounts(jdbc).account("Typo Co").pool(PRO, 100).pool(HUB, 100);
        List<Long> learners = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            learners.add(org.learner(aLearner().department("Finance").onLicense(PRO)));
        }
        Path typo = rules("typo.yaml", org, """
                  - {name: meant for leavers, when: {}, license: REVOKE}
                """);
        long assignments = count(jdbc, "select count(*) from license_assignment");

        Commands blocked = Commands.run(db, "reorganise", "--rules", typo.toString(), "--date", "2026-11-28");

        assertThat(blocked.code()).as("blocked by the guard: " + blocked.output()).isEqualTo(4);
        assertThat(blocked.output()).contains("mass-change guard").contains("20 of 20 learners (100.0%")
                .contains("REVOKE").contains("nothing was changed").contains("--confirm-large-change");
        assertThat(count(jdbc, "select count(*) from license_assignment")).isEqualTo(assignments);
        assertThat(learners).allSatisfy(learner -> assertThat(currentType(learner)).isEqualTo(PRO));
        assertThat(count(jdbc, "select count(*) from license_change_outcome where job_instance_id ="
                + " (select job_instance_id from batch_job_execution where job_execution_id = ?)", blocked.execution()))
                .isZero();

        Commands confirmed = Commands.run(db, "reorganise", "--rules", typo.toString(), "--date", "2026-11-28", "--confirm-large-change");

        assertThat(confirmed.code()).as(confirmed.output()).isZero();
        assertThat(learners).allSatisfy(learner -> assertThat(currentType(learner)).isNull());
        assertThat(count(jdbc, "select job_instance_id from batch_job_execution where job_execution_id = ?",
                confirmed.execution())).as("the same night, resumed")
                .isEqualTo(count(jdbc, "select job_instance_id from batch_job_execution where job_execution_id = ?",
                        blocked.execution()));
    }

    @Test
    void aNightStartedWhileTheLastOneStillRunsIsRefusedAndAFailedNightResumesOnTheNextStart() throws IOException {
        assertThat(Cli.execute("generate", "--db", db, "--org", "Busy Co", "--learners", "20000", "--seed", "4"))
                .isZero();
        Path rules = dir.resolve("busy.yaml");
        Files.writeString(rules, """
                organizations:
                  - organization: Busy Co
                    rules:
                      - {when: {department: [Sales, Support]}, license: LEARNING_HUB}
                """);
        String[] night = {"reorganise", "--db", db, "--rules", rules.toString(), "--date", "2026-12-01",
                "--confirm-large-change"};
        CliProcess running = CliProcess.start(dir, Map.of("LICENSE_BATCH_CHUNK_SIZE", "10"), night);
        whileAlive(running).until(() -> count(jdbc, "select count(*) from license_change_outcome o"
                + " join organization g on g.id = o.org_id where g.name = 'Busy Co'") > 0);
        long execution = count(jdbc, "select max(job_execution_id) from batch_job_execution");

        Commands nextNight = Commands.run(db, "reorganise", "--rules", rules.toString(), "--date", "2026-12-02");

        assertThat(nextNight.code()).isEqualTo(3);
        assertThat(nextNight.output()).contains("the reorganisation of 2026-12-01 (execution " + execution
                + ") is still running in pid " + running.pid());

        running.kill();
        String[] nextCronStart = Arrays.copyOf(night, night.length - 1);
        CliProcess resumed = CliProcess.start(dir, Map.of(), nextCronStart);
        assertThat(resumed.waitFor(Duration.ofMinutes(3))).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("recovering it as FAILED")
                .as("confirmed when it started, so not stopped halfway by a start without the flag")
                .contains("passed the guard when it started");
        assertThat(count(jdbc, "select count(distinct job_instance_id) from batch_job_execution where"
                + " job_execution_id >= ?", execution)).as("the same night's instance").isEqualTo(1);
        assertThat(Cli.execute("verify", "--db", db)).isZero();
    }

    /** A condition value no learner has (a typo, most often) is said, with the value the org's learners have. */
    @Test
    void aConditionThatNoLearnerMeetsIsSaidWithTheNearestValue() throws IOException {
        Account org = new TestAccounts(jdbc).account("Salse Co").pool(PRO, 100).pool(HUB, 100);
        for (int i = 0; i < 3; i++) {
            org.learner(aLearner().department(i == 0 ? "Support" : "Sales").onLicense(PRO));
        }
        Path rules = rules("salse.yaml", org, """
                  - {name: "sales keep hub\\e[2J", when: {department: Salse}, license: LEARNING_HUB}
                  - {name: support, when: {department: support}, license: LEARNING_PRO}
                  - {name: support or nobody, when: {department: [Support, Nowhere]}, license: LEARNING_PRO}
                """);

        CliProcess dryRun = CliProcess.start(dir, Map.of(), "reorganise", "--db", db, "--rules", rules.toString(),
                "--date", "2026-11-29", "--dry-run");

        assertThat(dryRun.waitFor(Duration.ofMinutes(1))).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).as("a control character in a log line is a '?'").doesNotContain("\u001b")
                .contains("rules: " + org.name + " (org " + org.id + "), rule 'sales keep hub?[2J':"
                + " no learner has department 'salse' (did you mean Sales?), so the rule matches nobody")
                .as("a value some learner has, in another case, is met").doesNotContain("rule 'support'")
                .as("a list with one value met: that value matches nobody, the rule matches the others").contains(
                        "rule 'support or nobody': no learner has department 'nowhere', so that value matches nobody");
    }

    private Path rules(String name, Account org, String rules) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "organizations:\n  - organization: " + org.name + "\n    rules:\n"
                + rules.indent(4));
        return file;
    }

    private static Map<Long, String> outcomes(long execution) {
        Map<Long, String> outcomes = new HashMap<>();
        jdbc.query("""
                select o.learner_id, o.status from license_change_outcome o
                 where o.job_instance_id = (select job_instance_id from batch_job_execution where job_execution_id = ?)
                """, rs -> {
                    outcomes.put(rs.getLong("learner_id"), rs.getString("status"));
                }, execution);
        return outcomes;
    }

    private static String currentType(long learner) {
        return jdbc.queryForList("select license_type from license_assignment where learner_id = ? and ended_at is null",
                String.class, learner).stream().findFirst().orElse(null);
    }
}
