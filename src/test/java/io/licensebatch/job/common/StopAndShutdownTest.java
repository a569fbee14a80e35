package io.licensebatch.job.common;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.busyDatabaseWithAccount;
import static io.licensebatch.support.Processes.databaseWithAccount;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.lastExecution;
import static io.licensebatch.support.Processes.status;
import static io.licensebatch.support.Processes.whileAlive;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways an operator or a scheduler ends a run early, with real processes: SIGTERM (Kubernetes, a
 * scheduler, Ctrl-C) and {@code stop} from a second process. Both leave the run STOPPED at a chunk boundary
 * with a correct checkpoint, and {@code restart} then ends where an uninterrupted run ends. Also: two jobs
 * in two processes on overlapping learners.
 */
class StopAndShutdownTest {

    private static final String ORG = "Ops Co";
    private static final int LEARNERS = 30_000;
    private static final Map<String, String> SMALL_CHUNKS = Map.of("LICENSE_BATCH_CHUNK_SIZE", "25",
            "LICENSE_BATCH_MIN_PARTITION_ITEMS", "1000");
    private static final String[] REASSIGN = {"reassign", "--confirm-large-change", "--org", ORG, "--to", "LEARNING_HUB", "--license-type",
            "LEARNING_PRO", "--status", "ACTIVE"};

    @TempDir
    static Path workDir;

    static AccountState reference;
    static long orgId;

    @BeforeAll
    static void anUninterruptedRun() {
        String db = databaseWithAccount("ops_reference", ORG, LEARNERS, 9);
        CliProcess run = CliProcess.start(workDir, SMALL_CHUNKS, with(REASSIGN, "--db", db));
        assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.output()).isZero();
        JdbcTemplate jdbc = jdbc(db);
        orgId = count(jdbc, "select id from organization where name = ?", ORG);
        reference = AccountState.of(jdbc, orgId);
    }

    @Test
    void sigtermStopsAtAChunkBoundaryWithACorrectCheckpointAndRestartFinishesTheRun() {
        String db = busyDatabaseWithAccount("ops_sigterm", ORG, LEARNERS, 9);
        JdbcTemplate jdbc = jdbc(db);
        CliProcess run = CliProcess.start(workDir, SMALL_CHUNKS, with(REASSIGN, "--db", db));
        long selected = selectionOf(jdbc, run);
        whileAlive(run).until(() -> outcomes(jdbc) >= ThreadLocalRandom.current().nextLong(selected / 10, selected / 2));

        long signalled = System.nanoTime();
        run.terminate();
        int code = run.waitFor(Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);

        assertThat(took).as("SIGTERM honoured within a few seconds").isLessThan(Duration.ofSeconds(10));
        long execution = lastExecution(jdbc);
        assertThat(code).as("a stopped run exits 1, not 143: " + run.output()).isEqualTo(1);
        assertThat(run.output()).contains("Shutting down: execution")
                .contains("Execution " + execution + " STOPPED at a chunk boundary").doesNotContain("has been closed");
        assertThat(status(jdbc, execution)).isEqualTo("STOPPED");
        long done = outcomes(jdbc);
        assertThat(done).isBetween(1L, selected - 1);
        assertCheckpointsMatchTheOutcomes(jdbc, execution);

        restartAndCompareWithTheUninterruptedRun(db, execution, selected);
    }

    @Test
    void stopFromAnotherProcessEndsTheRunStoppedAndRestartFinishesIt() {
        String db = busyDatabaseWithAccount("ops_stop", ORG, LEARNERS, 9);
        JdbcTemplate jdbc = jdbc(db);
        CliProcess run = CliProcess.start(workDir, SMALL_CHUNKS, with(REASSIGN, "--db", db));
        long selected = selectionOf(jdbc, run);
        whileAlive(run).until(() -> outcomes(jdbc) >= selected / 10);
        long execution = lastExecution(jdbc);

        String status = statusOf(db, execution);
        String total = String.format(java.util.Locale.ROOT, "%,d", selected);
        assertThat(status).as("status, seen from another process while it runs")
                .contains("RUNNING in pid " + run.pid())
                .containsPattern("progress: [0-9,]+ of " + total + " learners \\([0-9]+%\\), [0-9,]+/s, ETA")
                .contains("next: license-batch stop " + execution);
        assertThat(Cli.execute("stop", "--db", db, String.valueOf(execution))).isZero();

        assertThat(run.waitFor(Duration.ofSeconds(30))).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("STOPPED at a chunk boundary");
        assertThat(status(jdbc, execution)).isEqualTo("STOPPED");
        assertThat(outcomes(jdbc)).isLessThan(selected);
        assertCheckpointsMatchTheOutcomes(jdbc, execution);
        assertThat(Cli.execute("stop", "--db", db, String.valueOf(execution))).as("not running any more").isEqualTo(2);

        restartAndCompareWithTheUninterruptedRun(db, execution, selected);
    }

    @Test
    void twoJobsInTwoProcessesOnOverlappingLearnersKeepEveryInvariant() {
        String db = databaseWithAccount("ops_overlap", ORG, LEARNERS, 9);
        JdbcTemplate jdbc = jdbc(db);
        CliProcess reassign = CliProcess.start(workDir, SMALL_CHUNKS, "reassign", "--yes", "--db", db, "--org", ORG, "--to",
                "LEARNING_HUB", "--license-type", "LEARNING_PRO", "--department", "Sales,Engineering");
        CliProcess revoke = CliProcess.start(workDir, SMALL_CHUNKS, "revoke", "--confirm-large-change", "--db", db,
                "--org", ORG,
                "--license-type", "LEARNING_PRO", "--department", "Engineering,Support");

        assertThat(reassign.waitFor(Duration.ofMinutes(3))).as(reassign.output()).isZero();
        assertThat(revoke.waitFor(Duration.ofMinutes(3))).as(revoke.output()).isZero();

        assertThat(Cli.execute("verify", "--db", db)).isZero();
        assertThat(count(jdbc, "select count(*) from selection_item s where not exists (select 1 from"
                + " license_change_outcome o where o.job_instance_id = s.job_instance_id and o.item_no = s.item_no)"))
                .as("every selected learner has its outcome").isZero();
        List<Map<String, Object>> engineering = jdbc.queryForList("""
                select l.id, a.license_type as now,
                       max(case when i.job_name = 'licenseChange' and s.action = 'REASSIGN' then o.status end) as reassign,
                       max(case when s.action = 'REVOKE' then o.status end) as revoke
                  from learner l
                  join license_change_outcome o on o.learner_id = l.id
                  join selection_item s on s.job_instance_id = o.job_instance_id and s.item_no = o.item_no
                  join batch_job_instance i on i.job_instance_id = o.job_instance_id
                  left join license_assignment a on a.learner_id = l.id and a.ended_at is null
                 where l.department = 'Engineering'
                 group by l.id, a.license_type
                """);
        assertThat(engineering).isNotEmpty().allSatisfy(row -> {
            Object reassigned = row.get("reassign");
            Object revoked = row.get("revoke");
            assertThat(List.of(String.valueOf(reassigned), String.valueOf(revoked))).as(row.toString())
                    .containsAnyOf("REASSIGNED", "REVOKED")
                    .doesNotContain("FAILED");
            assertThat(row.get("now")).as(row.toString()).isEqualTo("REVOKED".equals(revoked) ? null : "LEARNING_HUB");
        });
    }

    private static void restartAndCompareWithTheUninterruptedRun(String db, long execution, long selected) {
        JdbcTemplate jdbc = jdbc(db);
        CliProcess restart = CliProcess.start(workDir, SMALL_CHUNKS, "restart", "--db", db, String.valueOf(execution));
        assertThat(restart.waitFor(Duration.ofMinutes(3))).as(restart.output()).isZero();
        assertThat(outcomes(jdbc)).isEqualTo(selected);
        AccountState actual = AccountState.of(jdbc, orgId);
        assertThat(actual.assignments()).isEqualTo(reference.assignments());
        assertThat(actual.pools()).isEqualTo(reference.pools());
        assertThat(actual.outcomes()).isEqualTo(reference.outcomes());
        assertThat(actual.usage()).isEqualTo(reference.usage());
        assertThat(Cli.execute("verify", "--db", db)).isZero();
    }

    /**
     * The trap in the Spring Batch 6 notes: a stop from another thread can close the step-scoped reader and
     * save a zeroed checkpoint. Each partition's saved position must be the last item it committed. (The
     * account is cut into several ranges per thread here, so when the stop comes some ranges may be done (they
     * are COMPLETED, or STOPPED if they finished as it came), some are in the middle (STOPPED, at least one of
     * them) and some have not started: they end STOPPED too, with nothing done.)
     */
    private static void assertCheckpointsMatchTheOutcomes(JdbcTemplate jdbc, long execution) {
        List<Map<String, Object>> partitions = jdbc.queryForList("""
                select s.step_execution_id, s.status, c.short_context, c.serialized_context
                  from batch_step_execution s join batch_step_execution_context c
                    on c.step_execution_id = s.step_execution_id
                 where s.job_execution_id = ? and s.step_name like 'applyPartition:%'
                """, execution);
        assertThat(partitions).isNotEmpty();
        int stoppedMidway = 0;
        for (Map<String, Object> partition : partitions) {
            Map<String, Object> context = deserialize(partition);
            long first = ((Number) context.get("first")).longValue();
            long last = ((Number) context.get("last")).longValue();
            long lastCommitted = count(jdbc, "select coalesce(max(o.item_no), " + (first - 1) + ")"
                    + " from license_change_outcome o where o.item_no between ? and ?", first, last);
            long itemsLeft = count(jdbc, "select count(*) from selection_item s where s.item_no between ? and ?"
                    + " and s.item_no > ?", first, last, lastCommitted);
            // A range with items left is STOPPED. One that was done before the stop came is COMPLETED, or STOPPED
            // if its last chunk committed as the stop came (Spring Batch then ends the step STOPPED all the same).
            if (itemsLeft > 0) {
                assertThat(partition.get("status")).as("partition %s, %d items left",
                        partition.get("step_execution_id"), itemsLeft).isEqualTo("STOPPED");
            } else {
                assertThat(partition.get("status")).as("partition %s, done", partition.get("step_execution_id"))
                        .isIn("COMPLETED", "STOPPED");
            }
            if (itemsLeft > 0 && lastCommitted >= first) {
                stoppedMidway++;
            }
            Number checkpoint = (Number) context.get("selectionReader.lastItemNo");
            if (checkpoint == null) {
                // A range still waiting for a thread when the stop came is stopped without starting.
                assertThat(lastCommitted).as("outcomes of never-started partition %s", partition.get("step_execution_id"))
                        .isEqualTo(first - 1);
            } else {
                assertThat(checkpoint.longValue()).as("the checkpoint of partition %s", partition.get("step_execution_id"))
                        .isEqualTo(lastCommitted);
            }
        }
        assertThat(stoppedMidway).as("partitions stopped in the middle of their range").isPositive();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deserialize(Map<String, Object> row) {
        String text = row.get("serialized_context") != null ? (String) row.get("serialized_context")
                : (String) row.get("short_context");
        try {
            return new DefaultExecutionContextSerializer().deserialize(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String statusOf(String db, long execution) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine commandLine = Cli.commandLine();
        commandLine.setOut(new java.io.PrintWriter(out, true));
        assertThat(commandLine.execute("status", "--db", db, String.valueOf(execution))).isZero();
        return out.toString();
    }

    private static long selectionOf(JdbcTemplate jdbc, CliProcess run) {
        whileAlive(run).until(() -> count(jdbc, "select count(*) from selection_taken") > 0);
        return count(jdbc, "select items from selection_taken");
    }

    private static long outcomes(JdbcTemplate jdbc) {
        return count(jdbc, "select count(*) from license_change_outcome");
    }
}
