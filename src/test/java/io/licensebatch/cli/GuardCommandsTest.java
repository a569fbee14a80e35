package io.licensebatch.cli;

import io.licensebatch.support.Commands;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mass-change guard on every command that changes licenses, through the command line: each one blocked
 * (exit 4, nothing changed), then let through (--confirm-large-change, or {@code restart --yes} of the blocked
 * run), and a change below the limits runs unasked. Limits of the test: 25% of an org, once more than 5 learners
 * change; 8 revokes.
 */
class GuardCommandsTest {

    static String db;
    static JdbcTemplate jdbc;
    static TestAccounts accounts;

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() {
        System.setProperty("license-batch.guard-max-share", "0.25");
        System.setProperty("license-batch.guard-min-changes", "5");
        System.setProperty("license-batch.guard-max-revokes", "8");
        db = TestDatabases.create("guard");
        assertThat(Commands.run(db, "status").code()).isZero();
        jdbc = jdbc(db);
        accounts = new TestAccounts(jdbc);
    }

    @AfterAll
    static void limitsBackToTheirDefaults() {
        System.clearProperty("license-batch.guard-max-share");
        System.clearProperty("license-batch.guard-min-changes");
        System.clearProperty("license-batch.guard-max-revokes");
    }

    @Test
    void reassignByFilters() {
        Account org = org("Reassign Co");
        blockedThenConfirmed(org, "reassign", "--org", org.name, "--to", HUB, "--department", "A");
        assertThat(Commands.run(db, "reassign", "--org", org.name, "--to", HUB, "--learner",
                firstLearnersOf(org, "B", 3)).code()).as("3 learners: below the limits").isZero();
    }

    @Test
    void revokeByFiltersAndTheBlockedRunRestartedWithYes() {
        Account org = org("Revoke Co");
        String before = state(org);
        Commands blocked = Commands.run(db, "revoke", "--org", org.name, "--department", "A");
        assertThat(blocked.code()).as(blocked.output()).isEqualTo(4);
        assertThat(blocked.output()).contains("stopped by the mass-change guard: nothing was changed")
                .contains("10 revoke(s) (limit 8)").contains("restart " + blocked.execution() + " --confirm-large-change");
        assertThat(state(org)).isEqualTo(before);

        Commands resumed = Commands.run(db, "restart", String.valueOf(blocked.execution()), "--yes");
        assertThat(resumed.code()).as(resumed.output()).isZero();
        assertThat(state(org)).isNotEqualTo(before);
    }

    @Test
    void anUpload() throws IOException {
        Account org = org("Upload Co");
        Path file = dir.resolve("upload.csv");
        Files.write(file, List.of("learner_id,license_type", String.join("," + HUB + "\n",
                firstLearnersOf(org, "A", 10).split(",")) + "," + HUB));
        blockedThenConfirmed(org, "reassign", "--org", org.name, "--csv", file.toString());
    }

    @Test
    void aJobSpec() throws IOException {
        Account org = org("Spec Co");
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "command: revoke\norg: " + org.name + "\nselect:\n  department: A\n");
        blockedThenConfirmed(org, "run", spec.toString());
    }

    @Test
    void aMigration() {
        Account org = org("Migrate Co");
        blockedThenConfirmed(org, "migrate", "--from", PRO, "--to", ESSENTIALS, "--org", org.name);
    }

    @Test
    void aNightlyReorganisation() throws IOException {
        Account org = org("Night Co");
        Path rules = dir.resolve("night.yaml");
        Files.writeString(rules, "organizations:\n  - organization: " + org.name + "\n    rules:\n"
                + "      - {when: {department: A}, license: LEARNING_ESSENTIALS}\n");
        blockedThenConfirmed(org, "reorganise", "--rules", rules.toString(), "--date", "2026-12-01");
    }

    @Test
    void anUndoAndARetry() {
        Account org = org("Follow Co");
        Commands moved = Commands.run(db, "reassign", "--org", org.name, "--to", HUB, "--department", "A",
                "--confirm-large-change");
        assertThat(moved.code()).as(moved.output()).isZero();
        blockedThenConfirmed(org, "undo", String.valueOf(moved.execution()));

        jdbc.update("update license_pool set seats_total = seats_used where org_id = ? and license_type = ?", org.id,
                ESSENTIALS);
        Commands shortPool = Commands.run(db, "reassign", "--org", org.name, "--to", ESSENTIALS, "--department", "B",
                "--confirm-large-change");
        assertThat(shortPool.code()).as(shortPool.output()).isZero();
        jdbc.update("update license_pool set seats_total = seats_used + 20 where org_id = ? and license_type = ?",
                org.id, ESSENTIALS);
        blockedThenConfirmed(org, "retry-failed", String.valueOf(shortPool.execution()));
    }

    /** Blocked: exit 4 and nothing changed; then with --confirm-large-change: done, and something changed. */
    private static void blockedThenConfirmed(Account org, String... command) {
        String before = state(org);
        Commands blocked = Commands.run(db, command);
        assertThat(blocked.code()).as(blocked.output()).isEqualTo(4);
        assertThat(blocked.output()).contains("stopped by the mass-change guard: nothing was changed");
        assertThat(state(org)).as("nothing changed").isEqualTo(before);

        Commands confirmed = Commands.run(db, io.licensebatch.support.Processes.with(command,
                "--confirm-large-change"));
        assertThat(confirmed.code()).as(confirmed.output()).isZero();
        assertThat(state(org)).isNotEqualTo(before);
    }

    /** 20 learners on PRO: 10 in department A, 10 in B; pools with room. */
    private static Account org(String name) {
        Account org = accounts.account(name).pool(PRO, 40).pool(HUB, 40).pool(ESSENTIALS, 40);
        for (int i = 0; i < 20; i++) {
            org.learner(aLearner().onLicense(PRO).department(i < 10 ? "A" : "B"));
        }
        return org;
    }

    private static String firstLearnersOf(Account org, String department, int n) {
        return String.join(",", jdbc.queryForList("select cast(id as varchar) from learner where org_id = ?"
                + " and department = ? order by id limit ?", String.class, org.id, department, n));
    }

    private static String state(Account org) {
        return jdbc.queryForList("select learner_id || ' ' || license_type || ' ' || coalesce(end_reason, '-')"
                + " from license_assignment where org_id = ? order by 1", String.class, org.id).toString();
    }
}
