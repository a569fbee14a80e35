package io.licensebatch.job.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.Commands;
import io.licensebatch.support.CliProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * An upload whose staging step is killed with SIGKILL halfway through the file, in a separate JVM, then
 * restarted: every record is staged exactly once (quoted fields span lines, so records are not lines), and
 * the run ends where an uninterrupted run of the same file ends.
 */
class UploadCrashRestartTest {

    private static final String ORG = "Upload Crash Co";
    private static final int LEARNERS = 20_000;
    private static final Map<String, String> SMALL_CHUNKS = Map.of("LICENSE_BATCH_CHUNK_SIZE", "100");

    @TempDir
    static Path workDir;

    static String uninterrupted;
    static String crashed;
    static Path upload;
    static long records;

    @BeforeAll
    static void twoCopiesAndAFile() throws IOException {
        uninterrupted = databaseWithAccount("upload_reference", ORG, LEARNERS, 5);
        crashed = busyDatabaseWithAccount("upload_killed", ORG, LEARNERS, 5);
        upload = workDir.resolve("moves.csv");
        try (Writer out = Files.newBufferedWriter(upload, StandardCharsets.UTF_8)) {
            out.write("email,license_type,reason\r\n");
            for (int i = 1; i <= LEARNERS; i++) {
                String target = switch (i % 4) {
                    case 0 -> "LEARNING_HUB";
                    case 1 -> "learning_essentials";
                    case 2 -> "REVOKE";
                    default -> "LEARNING_PRO";
                };
                String reason = i % 7 == 0 ? "\"line one\r\nline two, \"\"quoted\"\"\"" : "batch " + i;
                out.write("learner" + i + "@upload-crash-co.example," + target + "," + reason + "\r\n");
                if (i % 1000 == 0) {
                    out.write("not-an-email,LEARNING_HUB\r\n");
                    records++;
                }
                records++;
            }
        }
    }

    @Test
    void aStagingStepKilledHalfwayStagesEveryRecordExactlyOnce() {
        String[] command = {"reassign", "--confirm-large-change", "--org", ORG, "--csv", upload.toString()};
        JdbcTemplate reference = jdbc(uninterrupted);
        JdbcTemplate killed = jdbc(crashed);
        long orgId = reference.queryForObject("select id from organization where name = ?", Long.class, ORG);

        CliProcess clean = CliProcess.start(workDir, SMALL_CHUNKS, with(command, "--db", uninterrupted));
        assertThat(clean.waitFor(Duration.ofMinutes(3))).as(clean.output()).isZero();

        CliProcess victim = CliProcess.start(workDir, SMALL_CHUNKS, with(command, "--db", crashed));
        long killAt = ThreadLocalRandom.current().nextLong(records / 10, records * 7 / 10);
        whileAlive(victim).until(() -> count(killed, "select count(*) from selection_item") >= killAt);
        victim.kill();
        long staged = count(killed, "select count(*) from selection_item");
        assertThat(staged).as("killed while staging").isBetween(killAt, records - 1);
        assertThat(count(killed, "select count(*) from license_change_outcome")).isZero();

        long execution = count(killed, "select max(job_execution_id) from batch_job_execution");
        CliProcess restart = CliProcess.start(workDir, SMALL_CHUNKS, "restart", "--db", crashed,
                String.valueOf(execution));
        assertThat(restart.waitFor(Duration.ofMinutes(3))).as(restart.output()).isZero();

        assertThat(count(killed, "select count(*) from selection_item")).isEqualTo(records);
        assertThat(count(killed, "select count(distinct record_number) from selection_item")).isEqualTo(records);
        assertThat(count(killed, "select max(record_number) from selection_item")).isEqualTo(records);
        assertThat(count(killed, "select count(*) from license_change_outcome")).isEqualTo(records);
        assertThat(count(killed, "select count(*) from license_change_outcome where reason = 'MALFORMED_RECORD'"))
                .isEqualTo(records - LEARNERS);
        assertThat(killed.queryForList("select note from selection_item where record_number = 7", String.class))
                .containsExactly("line one\nline two, \"quoted\"");
        AccountState expected = AccountState.of(reference, orgId);
        AccountState actual = AccountState.of(killed, orgId);
        assertThat(actual.assignments()).isEqualTo(expected.assignments());
        assertThat(actual.pools()).isEqualTo(expected.pools());
        assertThat(actual.outcomes()).isEqualTo(expected.outcomes());
        assertThat(actual.usage()).isEqualTo(expected.usage());
        assertThat(io.licensebatch.cli.Cli.execute("verify", "--db", crashed)).isZero();
    }

    /**
     * Issue 12: an upload overwritten in place during staging (the same size, every target REVOKE) was staged
     * and applied, its fingerprint checked only as each partition opened the file. Now every byte staged is
     * checked against the accepted file's blocks: the run fails before anything is applied, and status says why
     * and what to do instead of a restart that would fail the same way.
     */
    @Test
    void aFileRewrittenInPlaceDuringStagingFailsTheRunBeforeAnythingIsApplied() throws IOException {
        String db = busyDatabaseWithAccount("upload_rewritten", ORG, LEARNERS, 5);
        JdbcTemplate jdbc = jdbc(db);
        Path file = workDir.resolve("moves-rewritten.csv");
        Files.copy(upload, file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String revokeAll = text.replace("LEARNING_HUB,", "REVOKE______,").replace("learning_essentials,",
                "REVOKE_____________,").replace("LEARNING_PRO,", "REVOKE______,");
        assertThat(revokeAll.length()).isEqualTo(text.length());
        CliProcess run = CliProcess.start(workDir, SMALL_CHUNKS, "reassign", "--confirm-large-change", "--org", ORG,
                "--csv", file.toString(),
                "--db", db);
        whileAlive(run).until(() -> count(jdbc, "select count(*) from selection_item") > 0);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(revokeAll.getBytes(StandardCharsets.UTF_8)), 0);
        }

        assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.output()).isEqualTo(1);
        assertThat(count(jdbc, "select count(*) from license_change_outcome")).as("nothing applied").isZero();
        assertThat(jdbc.queryForList("select identifier from selection_item where action = 'REVOKE'", String.class))
                .as("nothing of the rewritten file was staged: every REVOKE staged is one of the original file's")
                .allSatisfy(email -> assertThat(Integer.parseInt(email.replaceAll("\\D", "")) % 4).isEqualTo(2));
        long execution = count(jdbc, "select max(job_execution_id) from batch_job_execution");
        Commands status = Commands.run(db, "status", String.valueOf(execution));
        assertThat(status.output()).contains("cause (stageRecordsPartition:records")
                .contains(file + " changed since the upload was accepted")
                .contains("next: license-batch reassign|revoke --org ORG --csv FILE   (upload the file again, as a new"
                        + " request")
                .doesNotContain("next: license-batch restart");
        JsonNode json = Commands.run(db, "status", String.valueOf(execution), "--json").json();
        assertThat(json.get("state").asText()).isEqualTo("FAILED");
        assertThat(json.at("/cause/message").asText()).startsWith(file + " changed since the upload was accepted");
        assertThat(json.get("next").findValuesAsText("command")).containsExactly(
                "license-batch reassign|revoke --org ORG --csv FILE");
    }

    @Test
    void aFileChangedBeforeTheRestartIsRefusedAndNothingMoreIsStaged() throws IOException {
        String db = busyDatabaseWithAccount("upload_changed", ORG, LEARNERS, 5);
        JdbcTemplate jdbc = jdbc(db);
        Path file = workDir.resolve("moves-to-change.csv");
        Files.copy(upload, file);
        CliProcess victim = CliProcess.start(workDir, SMALL_CHUNKS, "reassign", "--confirm-large-change", "--org", ORG,
                "--csv", file.toString(),
                "--db", db);
        whileAlive(victim).until(() -> count(jdbc, "select count(*) from selection_item") >= records / 10);
        victim.kill();
        long staged = count(jdbc, "select count(*) from selection_item");
        // The same size, one record different: only the fingerprint can tell.
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.replace("learner4@upload-crash-co.example,LEARNING_HUB",
                "learner4@upload-crash-co.example,LEARNING_PRO"), StandardCharsets.UTF_8);
        assertThat(Files.size(file)).isEqualTo(Files.size(upload));

        long execution = count(jdbc, "select max(job_execution_id) from batch_job_execution");
        CliProcess restart = CliProcess.start(workDir, SMALL_CHUNKS, "restart", "--db", db, String.valueOf(execution));

        assertThat(restart.waitFor(Duration.ofMinutes(3))).as(restart.output()).isNotZero();
        assertThat(restart.output()).contains(file + " changed since the upload was accepted")
                .contains("Upload the file again as a new request");
        assertThat(count(jdbc, "select count(*) from selection_item")).isEqualTo(staged);
        assertThat(count(jdbc, "select count(*) from license_change_outcome")).isZero();
    }
}
