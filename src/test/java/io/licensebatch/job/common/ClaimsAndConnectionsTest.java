package io.licensebatch.job.common;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Commands;
import io.licensebatch.support.Faults;
import io.licensebatch.support.Processes;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.lastExecution;
import static io.licensebatch.support.Processes.whileAlive;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claims that tell a live run from a dead one, and the database connections a run depends on, cut under it
 * in real processes (issue 12): a run whose claim's connection is cut claims again and finishes; one whose claim
 * another process took in the meantime cannot change anything more, and the other process finishes the run; two
 * restarts at once: the second is refused (exit 3); a run whose connections are all cut fails, and restart
 * finishes it. Each ends exactly where an uninterrupted run ends.
 */
class ClaimsAndConnectionsTest {

    private static final String ORG = "Claims Co";
    private static final Map<String, String> SLOW = Map.of("LICENSE_BATCH_CHUNK_SIZE", "25",
            "LICENSE_BATCH_MIN_PARTITION_ITEMS", "1000");
    private static final String[] REASSIGN = {"reassign", "--confirm-large-change", "--org", ORG, "--to", "LEARNING_HUB", "--license-type",
            "LEARNING_PRO", "--status", "ACTIVE"};

    @TempDir
    static Path workDir;

    static String template;
    static AccountState reference;
    static long orgId;

    @BeforeAll
    static void anUninterruptedRun() {
        template = Processes.databaseWithAccount("claims_template", ORG, 20_000, 12);
        Faults.slowDown(jdbc(template), "license_change_outcome", 10);
        String db = TestDatabases.copyOf(template, "claims_reference");
        CliProcess run = CliProcess.start(workDir, SLOW, with(REASSIGN, "--db", db));
        assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.output()).isZero();
        orgId = count(jdbc(db), "select id from organization where name = ?", ORG);
        reference = AccountState.of(jdbc(db), orgId);
    }

    @Test
    void aRunWhoseClaimConnectionIsCutClaimsAgainAndFinishes() {
        String db = TestDatabases.copyOf(template, "claims_cut");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess run = CliProcess.start(workDir, SLOW, with(REASSIGN, "--db", db));
        whileAlive(run).until(() -> outcomes(jdbc) > 500);

        assertThat(cut(jdbc, claimHolder(jdbc))).isTrue();

        assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.output()).isZero();
        assertThat(run.output()).contains("the database connection that holds its claim was cut")
                .contains("claimed again; the run goes on");
        assertEqualsTheUninterruptedRun(db);
    }

    @Test
    void whenAnotherProcessTakesTheClaimOfARunThatLostItsConnectionTheRunChangesNothingMoreAndTheOtherFinishesIt() {
        String db = TestDatabases.copyOf(template, "claims_taken");
        JdbcTemplate jdbc = jdbc(db);
        Map<String, String> slowToNotice = new HashMap<>(SLOW);
        slowToNotice.put("LICENSE_BATCH_CLAIM_CHECK_INTERVAL", "5m");
        CliProcess original = CliProcess.start(workDir, slowToNotice, with(REASSIGN, "--db", db));
        whileAlive(original).until(() -> outcomes(jdbc) > 500);
        long execution = lastExecution(jdbc);

        assertThat(cut(jdbc, claimHolder(jdbc))).isTrue();
        Commands restart = Commands.run(db, "restart", String.valueOf(execution));

        assertThat(restart.code()).as(restart.output()).isZero();
        assertThat(original.waitFor(Duration.ofMinutes(3))).as("the original cannot commit a chunk any more: "
                + original.output()).isEqualTo(1);
        // The original's last word: Spring Batch saves a job execution whatever its version, so it may write
        // UNKNOWN over the restart's FAILED; the instance is the restart's, and it completed.
        assertThat(status(jdbc, execution)).isIn("FAILED", "UNKNOWN");
        assertThat(status(jdbc, lastExecution(jdbc))).isEqualTo("COMPLETED");
        assertEqualsTheUninterruptedRun(db);
    }

    @Test
    void twoRestartsAtOnceTheSecondIsRefusedAndTheFirstFinishes() {
        String db = TestDatabases.copyOf(template, "claims_two");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess killed = CliProcess.start(workDir, SLOW, with(REASSIGN, "--db", db));
        whileAlive(killed).until(() -> outcomes(jdbc) > 500);
        killed.kill();
        long execution = lastExecution(jdbc);

        CliProcess first = CliProcess.start(workDir, SLOW, "restart", "--db", db, String.valueOf(execution));
        whileAlive(first).until(() -> lastExecution(jdbc) > execution);
        Commands second = Commands.run(db, "restart", String.valueOf(execution));

        assertThat(second.code()).as(second.output()).isEqualTo(3);
        assertThat(second.output()).contains("is being run right now by another process")
                .doesNotContain("wrong version");
        assertThat(first.waitFor(Duration.ofMinutes(3))).as(first.output()).isZero();
        assertEqualsTheUninterruptedRun(db);
    }

    @Test
    void aRunWhoseConnectionsAreAllCutFailsAndRestartFinishesIt() {
        String db = TestDatabases.copyOf(template, "claims_all_cut");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess run = CliProcess.start(workDir, SLOW, with(REASSIGN, "--db", db));
        whileAlive(run).until(() -> outcomes(jdbc) > 500);
        long execution = lastExecution(jdbc);

        while (run.isAlive()) {
            Faults.cutConnections(jdbc);
        }

        int code = run.exitValue();
        assertThat(code).as(run.output()).isIn(0, 1);
        if (code == 1) {
            assertThat(status(jdbc, execution)).isIn("FAILED", "UNKNOWN", "STARTED");
            Commands restart = Commands.run(db, "restart", String.valueOf(execution));
            assertThat(restart.code()).as(restart.output()).isZero();
        }
        assertEqualsTheUninterruptedRun(db);
    }

    private static void assertEqualsTheUninterruptedRun(String db) {
        AccountState actual = AccountState.of(jdbc(db), orgId);
        assertThat(actual.assignments()).isEqualTo(reference.assignments());
        assertThat(actual.pools()).isEqualTo(reference.pools());
        assertThat(actual.outcomes()).isEqualTo(reference.outcomes());
        assertThat(actual.usage()).isEqualTo(reference.usage());
        assertThat(Cli.execute("verify", "--db", db)).isZero();
    }

    /** The database session that holds a license-batch claim. */
    private static long claimHolder(JdbcTemplate jdbc) {
        return count(jdbc, "select pid from pg_locks where locktype = 'advisory' and granted and classid = ?",
                0x4C42 << 16);
    }

    private static boolean cut(JdbcTemplate jdbc, long pid) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select pg_terminate_backend(?)", Boolean.class, (int) pid));
    }

    private static String status(JdbcTemplate jdbc, long execution) {
        return Processes.status(jdbc, execution);
    }

    private static long outcomes(JdbcTemplate jdbc) {
        return count(jdbc, "select count(*) from license_change_outcome");
    }
}
