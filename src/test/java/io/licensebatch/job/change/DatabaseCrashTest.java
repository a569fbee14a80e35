package io.licensebatch.job.change;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Faults;
import io.licensebatch.support.PrivatePostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.databaseWithAccount;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.whileAlive;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database server itself crashes in the middle of a reassign (SIGKILL to every PostgreSQL process of a server
 * of the test's own), and comes back having lost the chunks the run committed in its last seconds. The chunks
 * commit without waiting for the disk (see {@code SessionTuning#commitWithoutWaitingForTheDisk}), so a power cut
 * can do that; a killed process cannot (the written WAL stays in the page cache), so the server is recovered, from
 * a copy of its files taken before the run, to where its WAL was flushed a third of the way through the run (what
 * a power cut then would have kept): everything committed after it is gone. What it checks is the state such a
 * crash leaves (which synchronous commits would not leave), not the setting itself: {@code ChunkCommitTest} does
 * that.
 * {@code restart} must then end exactly where an uninterrupted run ends, on a copy of the same account on the
 * machine's server.
 */
class DatabaseCrashTest {

    private static final String ORG = "Crash Co";
    private static final Map<String, String> SMALL_CHUNKS = Map.of("LICENSE_BATCH_CHUNK_SIZE", "25",
            "LICENSE_BATCH_MIN_PARTITION_ITEMS", "1000");
    private static final String[] REASSIGN = {"reassign", "--confirm-large-change", "--org", ORG, "--to",
            "LEARNING_HUB", "--license-type", "LEARNING_PRO", "--status", "ACTIVE"};

    @TempDir
    static Path workDir;

    static PrivatePostgres server;
    static CliProcess victim;
    static String uninterrupted;
    static String crashed;

    @BeforeAll
    static void twoCopiesOfTheSameAccount() {
        uninterrupted = databaseWithAccount("dbcrash_reference", ORG, 20_000, 7);
        server = PrivatePostgres.start();
        crashed = server.createDatabase("crashed");
        assertThat(Cli.execute("generate", "--db", crashed, "--org", ORG, "--learners", "20000", "--seed", "7"))
                .isZero();
        Faults.slowDown(jdbc(crashed), "license_change_outcome", 10);
        server.backUp();
    }

    @AfterAll
    static void stopTheServer() {
        if (victim != null && victim.isAlive()) {
            victim.kill();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRunWhoseDatabaseLostItsLastChunksInACrashIsFinishedByRestartLikeAnUninterruptedOne() {
        JdbcTemplate reference = jdbc(uninterrupted);
        JdbcTemplate victimDb = jdbc(crashed);
        long orgId = reference.queryForObject("select id from organization where name = ?", Long.class, ORG);
        List<String> usageBefore = AccountState.usage(victimDb, orgId);

        CliProcess clean = CliProcess.start(workDir, SMALL_CHUNKS, with(REASSIGN, "--db", uninterrupted));
        assertThat(clean.waitFor(Duration.ofMinutes(3))).as(clean.output()).isZero();
        long selected = count(reference, "select count(*) from selection_item");

        victim = CliProcess.start(workDir, SMALL_CHUNKS, with(REASSIGN, "--db", crashed));
        whileAlive(victim).until(() -> count(victimDb, "select count(*) from license_change_outcome") >= selected / 3);
        long visible = count(victimDb, "select count(*) from license_change_outcome");
        String flushedUpTo = server.walFlushedUpTo();
        whileAlive(victim).until(() -> count(victimDb, "select count(*) from license_change_outcome")
                >= selected * 2 / 3);
        long seenBeforeTheCrash = count(victimDb, "select count(*) from license_change_outcome");
        server.crash();
        victim.kill();
        // The disk had the WAL up to a third of the run: the chunks committed since are lost, as a power cut
        // can lose them when commits do not wait for the disk.
        server.recoverUpTo(flushedUpTo);

        long afterRecovery = count(victimDb, "select count(*) from license_change_outcome");
        // (Fewer than were visible when the flushed position was read, when some commits had not reached the disk
        // yet: asynchronous commit at work. With synchronous commits, every visible chunk would be kept.)
        assertThat(afterRecovery).as("what the crash kept").isPositive().isLessThan(seenBeforeTheCrash);
        System.out.printf("database crash: %,d outcomes visible when the WAL's flushed position was read, %,d when"
                + " it crashed; %,d kept, of %,d%n", visible, seenBeforeTheCrash, afterRecovery, selected);
        long execution = count(victimDb, "select max(job_execution_id) from batch_job_execution");
        assertThat(count(victimDb, "select count(*) from license_assignment where assigned_by = ?",
                "job-execution:" + execution))
                .as("a lost chunk is lost whole: its changes went with its outcomes")
                .isEqualTo(count(victimDb, "select count(*) from license_change_outcome where status = 'REASSIGNED'"));

        CliProcess restart = CliProcess.start(workDir, SMALL_CHUNKS, "restart", "--db", crashed,
                String.valueOf(execution));
        assertThat(restart.waitFor(Duration.ofMinutes(3))).as(restart.output()).isZero();
        assertThat(restart.output()).contains("COMPLETED");

        AccountState actual = AccountState.of(victimDb, orgId);
        actual.assertSameAs(AccountState.of(reference, orgId));
        assertThat(actual.usage()).as("usage, untouched").isEqualTo(usageBefore);
        assertThat(count(victimDb, "select count(*) from license_change_outcome")).isEqualTo(selected);
        assertThat(count(victimDb, "select count(distinct learner_id) from license_change_outcome"))
                .isEqualTo(selected);
        assertThat(Cli.execute("verify", "--db", crashed)).isZero();
    }
}
