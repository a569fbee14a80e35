package io.licensebatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Commands;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reads: log lines with the date, structured JSON logs whose fields carry the execution, org and
 * counts, summaries without JVM internals and without "1 learners", help that does not cut a sentence, and
 * answers to typos that say what exists.
 */
class OperatorOutputTest {

    static String db;
    static JdbcTemplate jdbc;
    static Account org;

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("output");
        assertThat(Commands.run(db, "status").code()).isZero();
        jdbc = jdbc(db);
        TestAccounts accounts = new TestAccounts(jdbc);
        org = accounts.account("Output Co").pool(PRO, 30).pool(HUB, 1);
        for (int i = 1; i <= 8; i++) {
            org.learner(aLearner().email("learner" + i + "@output.example").externalId("HR-" + i)
                    .department(i <= 4 ? "Sales" : "Support").onLicense(PRO));
        }
    }

    /**
     * Names come from the database: an escape sequence in one must not reach the operator's terminal (it could clear
     * the screen or forge a line), in the command's output or in its log lines.
     */
    @Test
    void controlCharactersFromTheDatabaseAreWrittenOutNotSentToTheTerminal() {
        Account evil = new TestAccounts(jdbc).account("Evil\u001b[2J Co").pool(PRO, 5).pool(HUB, 5);
        evil.learner(aLearner().email("evil@output.example").named("Evil\u001b[31mRED\r\nFAKE LINE").onLicense(PRO));
        String id = String.valueOf(evil.id);

        CliProcess pools = CliProcess.start(dir, Map.of(), "pools", "--db", db, "--org", id);
        CliProcess usage = CliProcess.start(dir, Map.of(), "usage", "--db", db, "--org", id, "--learner",
                "evil@output.example");
        CliProcess reassign = CliProcess.start(dir, Map.of(), "reassign", "--db", db, "--org", id, "--to", "LEARNING_HUB",
                "--learner", "evil@output.example", "--note", "OPS-9\u001b]0;owned\u0007");

        for (CliProcess process : List.of(pools, usage, reassign)) {
            assertThat(process.waitFor(Duration.ofMinutes(1))).as(process.output()).isZero();
            assertThat(process.output()).as(process.output()).doesNotContain("\u001b").doesNotContain("\r")
                    .doesNotContain("\u0007");
        }
        assertThat(pools.output()).contains("Evil\\x1b[2J Co");
        assertThat(usage.output()).as("a name is one line, whatever it holds")
                .contains("usage of Evil\\x1b[31mRED\\x0d\\x0aFAKE LINE <evil@output.example>")
                .doesNotContain("\nFAKE LINE");
        assertThat(reassign.output()).as("the request line, and the log lines that name the org (seat impact)")
                .contains(": reassign to LEARNING_HUB in Evil\\x1b[2J Co").contains("  Evil\\x1b[2J Co");

        // The report is data: into a pipe (or a file) it goes as it is, its CSV line ends and the note's bytes.
        CliProcess report = CliProcess.start(dir, Map.of(), "report", String.valueOf(io.licensebatch.support.Processes.lastExecution(jdbc)),
                "--db", db);
        assertThat(report.waitFor(Duration.ofMinutes(1))).as(report.output()).isZero();
        assertThat(report.output()).contains("requested\r\n").contains("OPS-9\u001b]0;owned,")
                .doesNotContain("\\x0d");
    }

    @Test
    void logLinesCarryTheDateAndASummaryNamesOneLearnerInTheSingularWithoutTheHeap() {
        CliProcess run = CliProcess.start(dir, Map.of(), "revoke", "--db", db, "--org", org.name, "--learner",
                "learner1@output.example");
        assertThat(run.waitFor(Duration.ofSeconds(90))).as(run.output()).isZero();
        List<String> logLines = run.output().lines().filter(line -> line.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*"))
                .toList();
        assertThat(logLines).as(run.output()).anyMatch(line -> line.contains("apply: 1 learner to do"))
                .anyMatch(line -> line.contains("apply: 1 of 1 learner (100%)")).anyMatch(line -> line.contains("Summary"));
        assertThat(run.output()).doesNotContain("peak heap").doesNotContain("1 learners");
    }

    @Test
    void structuredLogsAreJsonLinesWhoseFieldsCarryTheExecutionOrgAndCounts() throws IOException {
        CliProcess run = CliProcess.start(dir, Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"), "revoke", "--db",
                db, "--org", org.name, "--learner", "learner2@output.example,learner3@output.example");
        assertThat(run.waitFor(Duration.ofSeconds(90))).as(run.output()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : run.output().lines().filter(line -> line.startsWith("{")).toList()) {
            events.add(mapper.readTree(line));
        }
        assertThat(events).as(run.output()).isNotEmpty()
                .allSatisfy(event -> assertThat(event.get("@timestamp").asText()).startsWith("20"));
        JsonNode summary = events.stream().filter(event -> event.get("message").asText().startsWith("Summary"))
                .findFirst().orElseThrow();
        assertThat(summary.get("org").asLong()).isEqualTo(org.id);
        assertThat(summary.get("execution").asLong()).isPositive();
        assertThat(summary.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("selected").asLong()).isEqualTo(2);
        assertThat(summary.at("/outcomes/REVOKED").asLong()).isEqualTo(2);
        assertThat(summary.at("/log/logger").asText()).isEqualTo("io.licensebatch.job.common.SummaryTasklet");
        assertThat(events).anySatisfy(event -> {
            assertThat(event.path("step").asText()).isEqualTo("apply");
            assertThat(event.path("done").asLong()).isEqualTo(2);
            assertThat(event.path("total").asLong()).isEqualTo(2);
        });
        assertThat(run.output().lines().filter(line -> !line.startsWith("{")))
                .as("besides the log, only the command's own lines").allMatch(line -> line.startsWith("Request ")
                        || line.startsWith("Execution "));
    }

    @Test
    void aFilterValueNoLearnerHasIsRefusedWithTheValuesThatExist() {
        Commands typo = Commands.run(db, "revoke", "--org", org.name, "--department", "Salse");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.output()).contains("--department: no learner of " + org.name)
                .contains("'Salse' (did you mean Sales?)").contains("its departments: Sales, Support")
                .contains("Nothing was changed");
        assertThat(Commands.run(db, "revoke", "--org", org.name, "--department", "Sales,Nowhere", "--dry-run")
                .output()).as("one unknown value in a list").contains("'Nowhere'");
        assertThat(Commands.run(db, "revoke", "--org", org.name, "--group", "Mentors", "--dry-run").output())
                .contains("none of its learners has one");
    }

    @Test
    void aLearnerIsNamedByExternalIdAsUploadsNameThem() {
        Commands byExternalId = Commands.run(db, "revoke", "--org", org.name, "--learner", "HR-5", "--dry-run");
        assertThat(byExternalId.code()).as(byExternalId.output()).isZero();
        assertThat(jdbc.queryForObject("select o.status || ' ' || l.email from license_change_outcome o join learner l"
                + " on l.id = o.learner_id where o.job_execution_id = ?", String.class, byExternalId.execution()))
                .isEqualTo("WOULD_REVOKE learner5@output.example");
    }

    @Test
    void anUploadsSeatImpactPredictsNoSeatsOnlyForPoolsThatExist() throws IOException {
        Path upload = dir.resolve("typo.csv");
        Files.write(upload, List.of("email,license_type", "learner6@output.example,LEARNING_HUBB",
                "learner7@output.example,LEARNING_HUBB"));
        CliProcess run = CliProcess.start(dir, Map.of(), "reassign", "--db", db, "--org", org.name, "--csv",
                upload.toString(), "--dry-run");
        assertThat(run.waitFor(Duration.ofSeconds(90))).as(run.output()).isZero();
        assertThat(run.output()).containsPattern(org.name + " / LEARNING_HUBB +no pool +0 +2 +- +0")
                .contains("REJECTED NO_POOL (or UNKNOWN_LICENSE_TYPE").doesNotContain("will be REJECTED NO_SEATS");
    }

    @Test
    void aSeatTransfersImpactGrowsTheTargetPoolInsteadOfPredictingNoSeats() {
        int moving = count("select count(*) from license_assignment where org_id = ? and license_type = 'LEARNING_PRO'"
                + " and ended_at is null");
        int proUsed = count("select seats_used from license_pool where org_id = ? and license_type = 'LEARNING_PRO'");
        int proTotal = count("select seats_total from license_pool where org_id = ? and license_type = 'LEARNING_PRO'");
        int hubUsed = count("select seats_used from license_pool where org_id = ? and license_type = 'LEARNING_HUB'");
        int hubTotal = count("select seats_total from license_pool where org_id = ? and license_type = 'LEARNING_HUB'");
        assertThat(hubUsed + moving).as("the HUB pool could not take them without the transfer").isGreaterThan(hubTotal);
        CliProcess run = CliProcess.start(dir, Map.of(), "migrate", "--db", db, "--from", PRO, "--to", HUB, "--org",
                org.name, "--transfer-seats", "--dry-run");
        assertThat(run.waitFor(Duration.ofSeconds(90))).as(run.output()).isZero();
        assertThat(run.output()).contains("after (seats move with learners)")
                .containsPattern(org.name + " / " + HUB + " +" + hubUsed + " of " + hubTotal + " +0 +" + moving + " +"
                        + (hubUsed + moving) + " of " + (hubTotal + moving) + " +0\\n")
                .containsPattern(org.name + " / " + PRO + " +" + proUsed + " of " + proTotal + " +" + moving + " +0 +"
                        + (proUsed - moving) + " of " + (proTotal - moving) + " +0\\n")
                .doesNotContain("will be REJECTED NO_SEATS").contains("WOULD_REASSIGN");
    }

    @Test
    void aSeatTransferDryRunCountsTheTargetPoolItWouldCreateInsteadOfPredictingNoPool() {
        assertThat(count("select count(*) from license_pool where org_id = ? and license_type = 'LEARNING_ESSENTIALS'"))
                .as("the org has no pool of the target type").isZero();
        int moving = count("select count(*) from license_assignment where org_id = ? and license_type = 'LEARNING_PRO'"
                + " and ended_at is null");
        CliProcess run = CliProcess.start(dir, Map.of(), "migrate", "--db", db, "--from", PRO, "--to", ESSENTIALS,
                "--org", org.name, "--transfer-seats", "--dry-run");
        assertThat(run.waitFor(Duration.ofSeconds(90))).as(run.output()).isZero();
        assertThat(run.output())
                .containsPattern(org.name + " / " + ESSENTIALS + " +0 of 0 +0 +" + moving + " +" + moving + " of " + moving
                        + " +0\\n")
                .doesNotContain("REJECTED NO_POOL").doesNotContain("will be REJECTED NO_SEATS");
        assertThat(count("select count(*) from license_pool where org_id = ? and license_type = 'LEARNING_ESSENTIALS'"))
                .as("a dry run creates nothing").isZero();
    }

    private static int count(String sql) {
        Integer n = jdbc.queryForObject(sql, Integer.class, org.id);
        return n == null ? 0 : n;
    }

    @Test
    void theCommandListSaysEachCommandInAWholeSentenceAndDatesAreCheckedInWords() {
        Commands help = Commands.run(db, "--help");
        List<String> commands = new ArrayList<>();
        help.output().lines().dropWhile(line -> !line.startsWith("Commands:")).skip(1)
                .takeWhile(line -> !line.isBlank()).forEach(line -> {
                    if (line.startsWith("    ")) {
                        commands.set(commands.size() - 1, commands.get(commands.size() - 1) + " " + line.strip());
                    } else {
                        commands.add(line.strip());
                    }
                });
        assertThat(commands).as(help.output()).hasSizeGreaterThan(15).allMatch(line -> line.endsWith("."));
        Commands badDate = Commands.run(db, "reorganise", "--rules", dir.resolve("none.yaml").toString(), "--date",
                "2026-13-01");
        assertThat(badDate.code()).isEqualTo(2);
        assertThat(badDate.output()).contains("'2026-13-01' is not a date like 2026-01-31")
                .doesNotContain("DateTimeParseException").doesNotContain("picocli WARN");
        assertThat(Commands.run(db, "status", "--since", "+999999999-12-31").output())
                .contains("is outside 1970-01-01 to 2999-12-31");
    }
}
