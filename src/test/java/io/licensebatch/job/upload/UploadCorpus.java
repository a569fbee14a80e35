package io.licensebatch.job.upload;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.request.InvalidRequestException;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.IntegrationTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every upload of the corpus in src/test/resources/uploads (format: its README.md) against a fresh
 * copy of {@link UploadFixture}, and checks the outcome of every record, the learners' licenses after, that
 * the other org was never touched, that refused files changed nothing, and the invariants; on each database
 * ({@link PostgresUploadCorpusTest}, {@link H2UploadCorpusTest}).
 */
abstract class UploadCorpus extends IntegrationTest {

    static final Path CORPUS = Paths.get("src/test/resources/uploads");

    @Autowired
    JobRunner runner;

    @TempDir
    Path work;

    /** The database product the subclass runs the corpus on, as its JDBC driver names it. */
    abstract String product();

    @Test
    void theCorpusRunsOnItsDatabase() {
        assertThat(jdbc.execute((ConnectionCallback<String>) connection -> connection.getMetaData()
                .getDatabaseProductName())).isEqualTo(product());
    }

    @TestFactory
    Stream<DynamicTest> everyUploadOfTheCorpus() throws IOException {
        List<Path> expectations;
        try (Stream<Path> files = Files.list(CORPUS)) {
            expectations = files.filter(file -> file.toString().endsWith(".expected")).sorted().toList();
        }
        assertThat(expectations).as("the corpus").isNotEmpty();
        return expectations.stream().map(expected -> DynamicTest.dynamicTest(
                expected.getFileName().toString().replace(".expected", ""), () -> check(expected)));
    }

    private void check(Path expectedFile) throws IOException {
        Expected expected = Expected.parse(expectedFile);
        retireEarlierFixtures();
        UploadFixture fixture = new UploadFixture(jdbc);
        Path upload = materialize(expected.upload(), fixture);
        AccountState otherBefore = AccountState.of(jdbc, fixture.other.id);
        AccountState uploadBefore = AccountState.of(jdbc, fixture.upload.id);
        long requestsBefore = count("select count(*) from change_request");

        if (expected.refused() != null) {
            assertThatThrownBy(() -> request(fixture, expected, upload))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining(expected.refused())
                    .hasMessageContaining(upload.getFileName().toString());
            assertThat(count("select count(*) from change_request")).isEqualTo(requestsBefore);
            assertThat(AccountState.of(jdbc, fixture.upload.id)).isEqualTo(uploadBefore);
            assertThat(AccountState.of(jdbc, fixture.other.id)).isEqualTo(otherBefore);
            return;
        }
        JobExecution execution = jobs.upload(fixture.upload.id, expected.action(), expected.to(), upload,
                expected.dryRun());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<Long, String> outcomes = new LinkedHashMap<>();
        jdbc.query("select record_number, status, reason from license_change_outcome where job_instance_id = ?"
                + " order by record_number", rs -> {
                    String reason = rs.getString("reason");
                    outcomes.put(rs.getLong("record_number"), rs.getString("status") + (reason == null ? "" : " " + reason));
                }, execution.getJobInstanceId());
        assertThat(outcomes).as("outcome per record").containsExactlyEntriesOf(expected.outcomes());
        expected.details().forEach((record, text) -> assertThat(jdbc.queryForObject("select detail from"
                + " license_change_outcome where job_instance_id = ? and record_number = ?", String.class,
                execution.getJobInstanceId(), record)).as("record %d's detail", record).contains(text));
        expected.licenses().forEach((name, type) -> assertThat(jobs.currentType(fixture.ids.get(name)))
                .as("%s's license after the upload", name).isEqualTo(type.equals("none") ? null : type));
        assertThat(AccountState.of(jdbc, fixture.other.id)).as("the other org is never touched").isEqualTo(otherBefore);
        assertThat(AccountState.of(jdbc, fixture.upload.id).usage()).isEqualTo(uploadBefore.usage());
        assertThat(invariants.check(null)).allSatisfy(check -> assertThat(check.violations()).as(check.invariant())
                .isEmpty());
    }

    /**
     * Every case gets its own copy of the fixture, in new orgs of the same database. The earlier copies'
     * emails and external ids are renamed out of the way, so that "ana@other.example" names only the
     * current copy's learner, as it would in a database holding one fixture.
     */
    private void retireEarlierFixtures() {
        jdbc.update("update learner set email = 'retired-' || id || '-' || email,"
                + " external_id = 'retired-' || id || '-' || external_id where email not like 'retired-%'");
    }

    private void request(UploadFixture fixture, Expected expected, Path upload) {
        jobs.upload(fixture.upload.id, expected.action(), expected.to(), upload, expected.dryRun());
    }

    /** The upload as it will be sent: ${name.id} replaced by the fixture's learner ids in UTF-8 text files. */
    private Path materialize(Path upload, UploadFixture fixture) throws IOException {
        if (!Files.exists(upload)) {
            return upload;
        }
        byte[] bytes = Files.readAllBytes(upload);
        Path copy = work.resolve(upload.getFileName());
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notText) {
            Files.write(copy, bytes);
            return copy;
        }
        for (Map.Entry<String, Long> learner : fixture.ids.entrySet()) {
            text = text.replace("${" + learner.getKey() + ".id}", String.valueOf(learner.getValue()));
        }
        Files.writeString(copy, text, StandardCharsets.UTF_8);
        return copy;
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    /**
     * A .expected file: the command, then either "refused: TEXT" or one "RECORD STATUS [REASON]" per record; "detail
     * RECORD: TEXT" lines say what a record's detail contains.
     */
    record Expected(Path upload, Action action, String to, boolean dryRun, String refused, Map<Long, String> outcomes,
            Map<String, String> licenses, Map<Long, String> details) {

        static Expected parse(Path file) throws IOException {
            Path upload = null;
            Action action = Action.REASSIGN;
            String to = null;
            boolean dryRun = false;
            String refused = null;
            Map<Long, String> outcomes = new LinkedHashMap<>();
            Map<String, String> licenses = new LinkedHashMap<>();
            Map<Long, String> details = new LinkedHashMap<>();
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("file:")) {
                    upload = file.resolveSibling(line.substring(5).strip());
                } else if (line.startsWith("command:")) {
                    List<String> words = new ArrayList<>(List.of(line.substring(8).strip().split("\\s+")));
                    action = Action.valueOf(words.remove(0).toUpperCase());
                    for (int i = 0; i < words.size(); i++) {
                        switch (words.get(i)) {
                            case "--to" -> to = words.get(++i);
                            case "--dry-run" -> dryRun = true;
                            default -> throw new IllegalArgumentException(file + ": unknown option " + words.get(i));
                        }
                    }
                } else if (line.startsWith("refused:")) {
                    refused = line.substring(8).strip();
                } else if (line.startsWith("detail ")) {
                    int colon = line.indexOf(':');
                    details.put(Long.parseLong(line.substring(7, colon).strip()), line.substring(colon + 1).strip());
                } else if (line.startsWith("license ")) {
                    String[] parts = line.substring(8).split(":");
                    licenses.put(parts[0].strip(), parts[1].strip());
                } else {
                    String[] parts = line.split("\\s+", 2);
                    outcomes.put(Long.parseLong(parts[0]), parts[1]);
                }
            }
            if (upload == null) {
                upload = file.resolveSibling(file.getFileName().toString().replace(".expected", ".csv"));
            }
            return new Expected(upload, action, to, dryRun, refused, outcomes, licenses, details);
        }
    }
}
