package io.licensebatch.job.upload;

import io.licensebatch.support.CliProcess;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Constant memory means constant, whatever the upload (issue 13), in a JVM of 64 MB: a million records that all
 * name one learner (the repeat check held each of them in memory, and ran out at 256 MB) complete, the learner
 * changed once and every other record a DUPLICATE_RECORD; a file of 300 MB without a line break is refused in
 * a moment (exit 2) instead of read into memory.
 */
class ConstantMemoryTest {

    @TempDir
    static Path dir;

    static String db;
    static JdbcTemplate jdbc;
    static Account org;
    static long learner;

    @BeforeAll
    static void account() {
        db = TestDatabases.create("memory");
        assertThat(io.licensebatch.cli.Cli.execute("status", "--db", db)).isZero();
        jdbc = jdbc(db);
        org = new TestAccounts(jdbc).account("Memory Co").pool(PRO, 5).pool(HUB, 5);
        learner = org.learner(aLearner().email("only.one@memory.example").onLicense(PRO));
    }

    @Test
    void aMillionRecordsNamingOneLearnerCompleteIn64Megabytes() throws IOException {
        Path file = dir.resolve("one-learner.csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,license_type\n");
            for (int i = 0; i < 1_000_000; i++) {
                out.write("only.one@memory.example,LEARNING_HUB\n");
            }
        }

        CliProcess run = CliProcess.startWithHeap(dir, "64m", "reassign", "--db", db, "--org", org.name, "--csv",
                file.toString());

        assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.output()).isZero();
        assertThat(count(jdbc, "select count(*) from license_change_outcome where reason = 'DUPLICATE_RECORD'"))
                .isEqualTo(999_999);
        assertThat(jdbc.queryForObject("select license_type from license_assignment where learner_id = ?"
                + " and ended_at is null", String.class, learner)).isEqualTo(HUB);
    }

    @Test
    void threeHundredMegabytesWithoutALineBreakAreRefusedAtOnce() throws IOException {
        Path file = dir.resolve("no-line-breaks.csv");
        byte[] block = "0123456789abcdef".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < 300L << 20; written += block.length) {
                out.write(block);
            }
        }

        CliProcess run = CliProcess.startWithHeap(dir, "64m", "reassign", "--db", db, "--org", org.name, "--csv",
                file.toString());

        assertThat(run.waitFor(Duration.ofMinutes(2))).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains(file + ": line 1 is longer than 1,048,576 characters")
                .doesNotContain("OutOfMemoryError");
    }
}
