package io.licensebatch.job.change;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.busyDatabaseWithAccount;
import static io.licensebatch.support.Processes.databaseWithAccount;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.whileAlive;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reassign killed with SIGKILL in the middle of its chunk step, in a separate JVM, then restarted: it must
 * end exactly where the same reassign ends when nothing interrupts it, with one outcome per selected learner
 * and the usage history untouched. Two databases hold the same generated account, one for each run.
 */
class CrashRestartTest {

    private static final String ORG = "Crash Co";
    private static final Map<String, String> SMALL_CHUNKS = Map.of("LICENSE_BATCH_CHUNK_SIZE", "25",
            "LICENSE_BATCH_MIN_PARTITION_ITEMS", "1000");

    @TempDir
    static Path workDir;

    static String uninterrupted;
    static String crashed;

    @BeforeAll
    static void twoCopiesOfTheSameAccount() {
        uninterrupted = databaseWithAccount("crash_reference", ORG, 30_000, 7);
        crashed = busyDatabaseWithAccount("crash_killed", ORG, 30_000, 7);
    }

    @Test
    void aRunKilledMidStepAndRestartedEndsLikeAnUninterruptedOne() {
        String[] reassign = {"reassign", "--confirm-large-change", "--org", ORG, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO",
                "--status", "ACTIVE", "--exclude", "11,12,learner13@crash-co.example"};
        JdbcTemplate reference = jdbc(uninterrupted);
        JdbcTemplate killed = jdbc(crashed);
        long orgId = reference.queryForObject("select id from organization where name = ?", Long.class, ORG);
        List<String> usageBefore = AccountState.usage(killed, orgId);

        CliProcess clean = CliProcess.start(workDir, SMALL_CHUNKS, with(reassign, "--db", uninterrupted));
        assertThat(clean.waitFor(Duration.ofMinutes(3))).as(clean.output()).isZero();

        CliProcess victim = CliProcess.start(workDir, SMALL_CHUNKS, with(reassign, "--db", crashed));
        long selected = awaitSelection(killed, victim);
        long running = count(killed, "select max(job_execution_id) from batch_job_execution");
        assertThat(Cli.execute("restart", "--db", crashed, String.valueOf(running)))
                .as("a restart of an execution that is alive in another process is refused").isEqualTo(3);
        long killAt = ThreadLocalRandom.current().nextLong(selected / 10, selected * 7 / 10);
        awaitOutcomes(killed, victim, killAt);
        victim.kill();

        long done = count(killed, "select count(*) from license_change_outcome");
        assertThat(done).as("killed in the middle of the chunk step").isBetween(killAt, selected - 1);
        long execution = count(killed, "select max(job_execution_id) from batch_job_execution");
        assertThat(killed.queryForObject("select status from batch_job_execution where job_execution_id = ?",
                String.class, execution)).isEqualTo("STARTED");

        CliProcess restart = CliProcess.start(workDir, SMALL_CHUNKS, "restart", "--db", crashed,
                String.valueOf(execution));
        assertThat(restart.waitFor(Duration.ofMinutes(3))).as(restart.output()).isZero();
        assertThat(restart.output()).contains("recovering it as FAILED").contains("COMPLETED");

        AccountState actual = AccountState.of(killed, orgId);
        actual.assertSameAs(AccountState.of(reference, orgId));
        assertThat(actual.usage()).as("usage, untouched").isEqualTo(usageBefore);
        assertThat(count(killed, "select count(*) from license_change_outcome")).isEqualTo(selected);
        assertThat(count(killed, "select count(distinct learner_id) from license_change_outcome")).isEqualTo(selected);
        assertThat(Cli.execute("verify", "--db", crashed)).isZero();
    }

    private static long awaitSelection(JdbcTemplate jdbc, CliProcess process) {
        whileAlive(process).until(() -> count(jdbc, "select count(*) from job_seat_pool") > 0);
        return count(jdbc, "select count(*) from selection_item");
    }

    private static void awaitOutcomes(JdbcTemplate jdbc, CliProcess process, long atLeast) {
        whileAlive(process).until(() -> count(jdbc, "select count(*) from license_change_outcome") >= atLeast);
    }
}
