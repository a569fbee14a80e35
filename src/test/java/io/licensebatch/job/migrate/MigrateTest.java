package io.licensebatch.job.migrate;

import io.licensebatch.cli.Cli;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.Commands;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code migrate} through its command line, on PostgreSQL, across several organizations. */
class MigrateTest {

    private static final AtomicInteger TYPES = new AtomicInteger();

    static String db;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("migrate");
        assertThat(Cli.execute("status", "--db", db)).isZero();
        jdbc = jdbc(db);
    }

    @AfterEach
    void removeFaults() {
        jdbc.execute("drop trigger if exists fail_one_org on license_assignment");
        jdbc.execute("drop function if exists fail_one_org()");
    }

    @Test
    void aMigrationAcrossOrgsWithSeatTransferLeavesNobodyOnTheSourceAndRetiresIt() {
        TestAccounts accounts = new TestAccounts(jdbc);
        String legacy = legacyType(accounts);
        Account a = accounts.account("Alpha").pool(legacy, 10).pool(PRO, 20);
        Account b = accounts.account("Beta").pool(legacy, 6);
        Account c = accounts.account("Gamma").pool(PRO, 5);
        for (int i = 0; i < 4; i++) {
            a.learner(aLearner().onLicense(legacy).previously(HUB));
        }
        long deactivated = a.learner(aLearner().status(LearnerStatus.DEACTIVATED).onLicense(legacy));
        for (int i = 0; i < 3; i++) {
            a.learner(aLearner().onLicense(PRO));
        }
        for (int i = 0; i < 6; i++) {
            b.learner(aLearner().onLicense(legacy));
        }
        c.learner(aLearner().onLicense(PRO));
        List<String> usage = new ArrayList<>();
        for (Account org : List.of(a, b, c)) {
            usage.addAll(AccountState.usage(jdbc, org.id));
        }

        Commands run = Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", PRO, "--all-orgs", "--transfer-seats", "--retire-source");

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(count(jdbc, "select count(*) from license_assignment where license_type = ? and ended_at is null",
                legacy)).isZero();
        assertThat(seats(a)).containsExactlyInAnyOrder(legacy + " 0 of 5", PRO + " 8 of 25");
        assertThat(seats(b)).containsExactlyInAnyOrder(legacy + " 0 of 0", PRO + " 6 of 6");
        assertThat(seats(c)).containsExactly(PRO + " 1 of 5");
        assertThat(jdbc.queryForObject("select license_type from license_assignment where learner_id = ?"
                + " and ended_at is null", String.class, deactivated)).as("a deactivated holder is swapped too")
                .isEqualTo(PRO);
        assertThat(jdbc.queryForObject("select retired from license_type where code = ?", Boolean.class, legacy))
                .isTrue();
        List<String> usageAfter = new ArrayList<>();
        for (Account org : List.of(a, b, c)) {
            usageAfter.addAll(AccountState.usage(jdbc, org.id));
        }
        assertThat(usageAfter).isEqualTo(usage);
        assertThat(Cli.execute("verify", "--db", db)).isZero();
    }

    @Test
    void aDryRunMigrationWithSeatTransferChangesNothing() {
        TestAccounts accounts = new TestAccounts(jdbc);
        String legacy = legacyType(accounts);
        Account a = accounts.account("Dry").pool(legacy, 3);
        for (int i = 0; i < 3; i++) {
            a.learner(aLearner().onLicense(legacy));
        }
        AccountState before = AccountState.of(jdbc, a.id);

        Commands run = Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", PRO, "--org", a.name, "--transfer-seats", "--dry-run");

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(count(jdbc, "select count(*) from license_change_outcome where org_id = ? and status = 'WOULD_REASSIGN'",
                a.id)).isEqualTo(3);
        AccountState after = AccountState.of(jdbc, a.id);
        assertThat(after.assignments()).isEqualTo(before.assignments());
        assertThat(after.pools()).isEqualTo(before.pools());
    }

    @Test
    void aDryRunSeatTransferSimulatesTheTargetPoolTheOrgHasAlready() {
        TestAccounts accounts = new TestAccounts(jdbc);
        String legacy = legacyType(accounts);
        Account a = accounts.account("Dry With Pool").pool(legacy, 4).pool(PRO, 10);
        for (int i = 0; i < 3; i++) {
            a.learner(aLearner().onLicense(legacy));
        }
        a.learner(aLearner().onLicense(PRO));

        Commands dry = Commands.run(db, "migrate", "--from", legacy, "--to", PRO, "--org", a.name,
                "--transfer-seats", "--dry-run");

        assertThat(dry.code()).as(dry.output()).isZero();
        String simulated = Commands.run(db, "status", String.valueOf(dry.execution())).output();
        assertThat(simulated).as(simulated)
                .containsPattern(a.name + " / " + PRO + " +1 of 10 +4 of 13")
                .containsPattern(a.name + " / " + legacy + " +3 of 4 +0 of 1");
        Commands real = Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", PRO, "--org",
                a.name, "--transfer-seats");
        assertThat(real.code()).as(real.output()).isZero();
        String changed = Commands.run(db, "status", String.valueOf(real.execution())).output();
        assertThat(changed).as(changed).containsPattern(a.name + " / " + PRO + " +1 of 10 +4 of 13")
                .containsPattern(a.name + " / " + legacy + " +3 of 4 +0 of 1");
    }

    @Test
    void aMigrationToAnOrgWithoutTheTargetPoolNeedsSeatTransfer() {
        TestAccounts accounts = new TestAccounts(jdbc);
        String legacy = legacyType(accounts);
        Account a = accounts.account("No Pool").pool(legacy, 3);

        Commands run = Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", HUB, "--org", a.name);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.output()).contains("has no seat pool of " + HUB).contains("--transfer-seats");
        assertThat(Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", HUB).output()).contains("--org ORG, or --all-orgs");

        Commands retireForOne = Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", HUB, "--org", a.name,
                "--transfer-seats", "--retire-source");
        assertThat(retireForOne.code()).isEqualTo(2);
        assertThat(retireForOne.output()).contains("--retire-source retires " + legacy + " for every organization");
        assertThat(jdbc.queryForObject("select retired from license_type where code = ?", Boolean.class, legacy))
                .isFalse();
    }

    /**
     * Three orgs of five learners, in ranges of five items (min-partition-items 5): a failure that outlasts the
     * chunk's retries in one of them fails that range, the others complete, and a restart runs that one alone.
     */
    @Test
    void whenOneRangeFailsARestartFinishesOnlyThatOne() {
        TestAccounts accounts = new TestAccounts(jdbc);
        String legacy = legacyType(accounts);
        List<Account> orgs = new ArrayList<>();
        for (String name : List.of("North", "Middle", "South")) {
            Account org = accounts.account(name).pool(legacy, 5).pool(PRO, 5);
            for (int i = 0; i < 5; i++) {
                org.learner(aLearner().onLicense(legacy));
            }
            orgs.add(org);
        }
        Account failing = orgs.get(1);
        jdbc.execute("""
                create function fail_one_org() returns trigger language plpgsql as $$
                begin
                    if new.org_id = %d then
                        raise exception 'canceling statement due to user request' using errcode = '57014';
                    end if;
                    return new;
                end $$
                """.formatted(failing.id));
        jdbc.execute("create trigger fail_one_org before insert on license_assignment for each row"
                + " execute function fail_one_org()");

        // three ranges of one org each: three threads (ranges come in whole rounds of the threads)
        System.setProperty("license-batch.min-partition-items", "5");
        System.setProperty("license-batch.partitions", "3");
        Commands failed;
        try {
            failed = Commands.run(db, "migrate", "--confirm-large-change", "--from", legacy, "--to", PRO, "--all-orgs");
        } finally {
            System.clearProperty("license-batch.min-partition-items");
            System.clearProperty("license-batch.partitions");
        }

        assertThat(failed.code()).as(failed.output()).isEqualTo(1);
        assertThat(holders(orgs.get(0), legacy)).isZero();
        assertThat(holders(orgs.get(2), legacy)).isZero();
        assertThat(holders(failing, legacy)).isEqualTo(5);
        assertThat(partitionStatuses(failed.execution())).containsEntry("applyPartition:range2", "FAILED")
                .containsEntry("applyPartition:range1", "COMPLETED")
                .containsEntry("applyPartition:range3", "COMPLETED");

        removeFaults();
        Commands restarted = Commands.run(db, "restart", String.valueOf(failed.execution()));

        assertThat(restarted.code()).as(restarted.output()).isZero();
        assertThat(partitionStatuses(restarted.execution())).as("only the failed org runs again")
                .containsOnlyKeys("applyPartition:range2");
        assertThat(orgs).allSatisfy(org -> assertThat(holders(org, legacy)).isZero());
        assertThat(Cli.execute("verify", "--db", db)).isZero();
    }

    private static String legacyType(TestAccounts accounts) {
        String code = "LEGACY_" + TYPES.incrementAndGet();
        accounts.type(code, false);
        return code;
    }

    private static long holders(Account org, String type) {
        return count(jdbc, "select count(*) from license_assignment where org_id = ? and license_type = ?"
                + " and ended_at is null", org.id, type);
    }

    private static java.util.Map<String, String> partitionStatuses(long execution) {
        java.util.Map<String, String> statuses = new java.util.TreeMap<>();
        jdbc.query("select step_name, status from batch_step_execution where job_execution_id = ?"
                + " and step_name like 'applyPartition:%'", rs -> {
                    statuses.put(rs.getString("step_name"), rs.getString("status"));
                }, execution);
        return statuses;
    }

    private static List<String> seats(Account org) {
        return jdbc.queryForList("select license_type || ' ' || seats_used || ' of ' || seats_total from license_pool"
                + " where org_id = ? order by license_type", String.class, org.id);
    }

}
