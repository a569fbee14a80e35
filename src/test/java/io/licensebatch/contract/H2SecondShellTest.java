package io.licensebatch.contract;

import io.licensebatch.support.CliProcess;
import io.licensebatch.support.SlowH2Statements;
import io.licensebatch.support.TestDatabases;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default from a second shell: H2 opens a file database in one process at a time, so while a job
 * runs, {@code status} says plainly who holds the database and what to do (exit 3), and {@code stop} reaches the
 * job's process by its pid: the run stops at a chunk boundary, and {@code restart} finishes it.
 */
class H2SecondShellTest {

    @TempDir
    Path folder;

    @Test
    void statusNamesTheProcessThatHoldsTheDatabaseAndStopReachesIt() throws Exception {
        CliProcess generate = CliProcess.start(folder, Map.of(), "generate", "--org", "Shell Co", "--learners",
                "4000");
        assertThat(generate.waitFor(Duration.ofSeconds(120))).as(generate.output()).isZero();
        // Chunks of 10 that take at least a tenth of a second each: the run is still under way when the second
        // shell looks, however fast the machine.
        String database = TestDatabases.h2UrlAt(folder.resolve("data/license-batch"));
        SlowH2Statements.slowDown(database, "license_change_outcome", 100);
        CliProcess job = CliProcess.start(folder, Map.of("LICENSE_BATCH_CHUNK_SIZE", "10"), "reassign", "--org",
                "Shell Co", "--license-type", "LEARNING_PRO", "--to", "LEARNING_HUB", "--yes");
        long execution = runningExecution(job);

        CliProcess status = CliProcess.start(folder, Map.of(), "status");
        assertThat(status.waitFor(Duration.ofSeconds(60))).as(status.output()).isEqualTo(3);
        assertThat(status.output()).contains("the embedded database is open in another license-batch process (pid")
                .contains("running execution " + execution).contains("license-batch stop " + execution);

        CliProcess stop = CliProcess.start(folder, Map.of(), "stop", String.valueOf(execution));
        assertThat(stop.waitFor(Duration.ofSeconds(90))).as(stop.output()).isZero();
        assertThat(stop.output()).contains("sent it SIGTERM").contains("Execution " + execution + " is STOPPED");
        assertThat(job.waitFor(Duration.ofSeconds(30))).as(job.output()).isEqualTo(1);
        assertThat(job.output()).contains("STOPPED at a chunk boundary").doesNotContain("Database is already closed");

        SlowH2Statements.clear(database, "license_change_outcome", 100);
        CliProcess restart = CliProcess.start(folder, Map.of(), "restart", String.valueOf(execution));
        assertThat(restart.waitFor(Duration.ofSeconds(180))).as(restart.output()).isZero();
        CliProcess verify = CliProcess.start(folder, Map.of(), "verify");
        assertThat(verify.waitFor(Duration.ofSeconds(60))).as(verify.output()).isZero();
        assertThat(Files.exists(folder.resolve("data/license-batch.holder"))).as("no holder once all ended").isFalse();
    }

    /** The execution the job's process says it runs, once it has committed outcomes. */
    private long runningExecution(CliProcess job) {
        Path holder = folder.resolve("data/license-batch.holder");
        Pattern progress = Pattern.compile("apply: [1-9][0-9,]* of");
        Pattern execution = Pattern.compile("execution=(\\d+)");
        String held = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .failFast("the job ended before a second shell could look", () -> assertThat(job.isAlive())
                        .as(() -> "the job ended before a second shell could look: " + job.output()).isTrue())
                .until(() -> Files.exists(holder) && progress.matcher(job.output()).find() ? Files.readString(holder)
                        : "", text -> execution.matcher(text).find());
        Matcher found = execution.matcher(held);
        assertThat(found.find()).isTrue();
        return Long.parseLong(found.group(1));
    }
}
