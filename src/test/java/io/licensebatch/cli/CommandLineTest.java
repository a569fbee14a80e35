package io.licensebatch.cli;

import io.licensebatch.support.CliProcess;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's interface on PostgreSQL: exit codes, the messages for bad input (and that nothing changed),
 * report, status, verify, usage and job specs.
 */
class CommandLineTest {

    static final String ORG = "Cli Co";

    @TempDir
    static Path files;

    static String db;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void account() {
        db = TestDatabases.create("cli");
        jdbc = new JdbcTemplate(new DriverManagerDataSource(db));
        assertThat(run("generate", "--org", ORG, "--learners", "300", "--seed", "3").exitCode()).isZero();
        jdbc.update("insert into organization (name) values ('Empty Co')");
        jdbc.update("insert into license_type (code, name) values ('LEARNING_LAB', 'Lab, no pools')");
    }

    @Test
    void reassignsAndReportsTheOutcome() {
        CliRun run = run("reassign", "--org", ORG, "--to", "LEARNING_HUB", "--learner", "learner1@cli-co.example,2",
                "--note", "ticket 42");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Request ").contains("COMPLETED").contains("license-batch report ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "reassign --help", "revoke --help", "run --help", "status --help",
            "restart --help", "report --help", "verify --help", "usage --help", "demo --help", "generate --help"})
    void everyCommandHasHelp(String arguments) {
        CliRun run = CliRun.of(arguments.split(" "));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: license-batch");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
        assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
        CliRun missingOrg = CliRun.of("reassign", "--to", "LEARNING_HUB", "--status", "ACTIVE");
        assertThat(missingOrg.exitCode()).isEqualTo(2);
        assertThat(missingOrg.err()).contains("--org");
    }

    @Test
    void badInputIsRefusedBeforeAnythingChanges() {
        long requests = count("select count(*) from change_request");
        long assignments = count("select count(*) from license_assignment");

        assertRefused(List.of("reassign", "--org", "Nope Inc", "--to", "LEARNING_HUB", "--status", "ACTIVE"),
                "no organization 'Nope Inc'", "Cli Co");
        assertRefused(List.of("reassign", "--org", ORG, "--to", "LEARNING_NOPE", "--status", "ACTIVE"),
                "no license type 'LEARNING_NOPE'", "LEARNING_HUB");
        assertRefused(List.of("reassign", "--org", ORG, "--to", "learning_classic", "--status", "ACTIVE"),
                "LEARNING_CLASSIC is retired");
        assertRefused(List.of("reassign", "--org", ORG, "--to", "LEARNING_LAB", "--status", "ACTIVE"),
                "has no seat pool of LEARNING_LAB");
        assertRefused(List.of("reassign", "--org", ORG, "--to", "LEARNING_HUB"), "choose the learners");
        assertRefused(List.of("usage", "--org", ORG, "--learner", "1", "--out", "usage.csv"), "--learner and --out");
        assertRefused(List.of("revoke", "--org", ORG, "--learner", "1", "--status", "ACTIVE"),
                "does not combine with filters");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ASLEEP"), "no learner status 'ASLEEP'");
        assertRefused(List.of("revoke", "--org", ORG, "--inactive-since", "last tuesday"), "not a date");
        assertRefused(List.of("revoke", "--org", ORG, "--license-type", "NOPE"), "no license type 'NOPE'");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--exclude", "learner1@cli-co.example,"
                + "nobody@cli-co.example"), "--exclude names no learner", "nobody@cli-co.example");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--db", "mysql://x"),
                "not a PostgreSQL or H2 JDBC URL");
        // An empty value (--department "$DEPT", the variable unset) is no filter: it would select the whole org.
        assertRefused(List.of("revoke", "--org", ORG, "--department", "", "--yes"), "--department: an empty value",
                "select more learners than meant");
        assertRefused(List.of("revoke", "--org", ORG, "--location", " ", "--yes"), "--location: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--group", "", "--yes"), "--group: an empty value");
        assertRefused(List.of("reassign", "--org", ORG, "--to", "LEARNING_HUB", "--status", "ACTIVE", "--search", " ",
                "--yes"), "--search: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--department", ",Sales", "--yes"),
                "--department: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--learner", ""), "--learner: an empty value", "names nobody");
        // Commas alone ("$D1,$D2", both unset) are empty values too, not a filter that vanishes.
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--department", ",", "--yes"),
                "--department: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--location", ",,", "--yes"),
                "--location: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--exclude", ",", "--yes"),
                "--exclude: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--license-type", ",", "--yes"), "--license-type: an empty value");
        assertRefused(List.of("revoke", "--org", ORG, "--status", ",ACTIVE", "--yes"), "--status: an empty value");
        // The summary is written when the run has ended: a path it cannot go to is refused before the run starts.
        assertRefused(List.of("revoke", "--org", ORG, "--learner", "1", "--summary-json",
                files.resolve("no-such-folder/summary.json").toString()), "--summary-json", "does not exist");
        assertRefused(List.of("revoke", "--org", ORG, "--learner", "1", "--summary-json", files.toString()),
                "--summary-json", "is a directory");
        assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--exclude", "", "--yes"),
                "--exclude: an empty value", "un-checks nobody");

        assertThat(count("select count(*) from change_request")).isEqualTo(requests);
        assertThat(count("select count(*) from license_assignment")).isEqualTo(assignments);
    }

    /** "@FILE" is text: picocli read the arguments in FILE, so a note "@ticket.txt" could confirm a mass change. */
    @Test
    void anArgumentStartingWithAnAtSignIsTextNotAFileOfArguments() throws IOException {
        Path ticket = Files.writeString(files.resolve("ticket.txt"), "OPS-1\n--yes\n");
        long outcomes = count("select count(*) from license_change_outcome");

        CliRun revoke = CliRun.of(withDb(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--note", "@" + ticket)));

        assertThat(revoke.exitCode()).as("blocked by the guard: " + revoke).isEqualTo(4);
        assertThat(jdbc.queryForObject("select note from change_request order by id desc limit 1", String.class))
                .isEqualTo("@" + ticket);
        assertThat(count("select count(*) from license_change_outcome")).as("nothing revoked").isEqualTo(outcomes);
    }

    /**
     * HR keys are often numbers, single sign-on keys emails: one learner's id or email that is another's external id
     * is refused.
     */
    @Test
    void aNameThatIsOneLearnersIdOrEmailAndAnothersExternalIdIsRefusedAsAmbiguous() {
        long orgId = jdbc.queryForObject("select id from organization where name = ?", Long.class, ORG);
        List<Long> two = jdbc.queryForList("select id from learner where org_id = ? order by id limit 2", Long.class,
                orgId);
        String id = String.valueOf(two.get(0));
        String before = jdbc.queryForObject("select external_id from learner where id = ?", String.class, two.get(1));
        jdbc.update("update learner set external_id = ? where id = ?", id, two.get(1));
        try {
            long requests = count("select count(*) from change_request");
            assertRefused(List.of("revoke", "--org", ORG, "--learner", id), "--learner " + id + " names two learners",
                    "learner id " + two.get(0), "learner id " + two.get(1), "Name the one you mean by email");
            assertRefused(List.of("revoke", "--org", ORG, "--status", "ACTIVE", "--exclude", id, "--yes"),
                    "--exclude " + id + " names two learners");
            assertRefused(List.of("usage", "--org", ORG, "--learner", id), "--learner " + id + " names two learners");
            String email = jdbc.queryForObject("select email from learner where id = ?", String.class, two.get(0));
            jdbc.update("update learner set external_id = ? where id = ?", email, two.get(1));
            assertRefused(List.of("revoke", "--org", ORG, "--learner", email), "--learner " + email
                    + " names two learners", "the learner with that email (learner id " + two.get(0) + ")",
                    "Name the one you mean by learner id");
            assertThat(count("select count(*) from change_request")).isEqualTo(requests);
        } finally {
            jdbc.update("update learner set external_id = ? where id = ?", before, two.get(1));
        }
    }

    @Test
    void reportExportsEveryOutcomeEscapingFormulas() throws IOException {
        String learner = learnerOn("LEARNING_HUB", 3);
        CliRun job = run("revoke", "--org", ORG, "--learner", learner + ",=HYPERLINK(\"http://x\"),@SUM(A1),+1,"
                + learner, "--note", "-offboarding");
        assertThat(job.exitCode()).as(job.toString()).isZero();
        long execution = lastExecution();
        Path csv = files.resolve("report.csv");

        CliRun report = run("report", String.valueOf(execution), "--out", csv.toString());

        assertThat(report.exitCode()).as(report.toString()).isZero();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("record_number,identifier,learner_id,email,previous_license_type,"
                + "new_license_type,status,reason,detail,note,job_execution_id,source_execution_id,processed_at,"
                + "org_id,org,requested");
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).contains(learner).contains(",REVOKED,").contains("'-offboarding");
        assertThat(lines.get(2)).contains("\"'=HYPERLINK(\"\"http://x\"\")\"").contains("LEARNER_NOT_FOUND");
        assertThat(lines.get(3)).contains("'@SUM(A1)");
        assertThat(lines.get(4)).contains(",'+1,");
        assertThat(lines.get(5)).contains("DUPLICATE_RECORD");

        CliRun rejectedOnly = run("report", String.valueOf(execution), "--reason", "LEARNER_NOT_FOUND",
                "--out", csv.toString(), "--force");
        assertThat(rejectedOnly.exitCode()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(4);
        run("report", String.valueOf(execution), "--failed-only", "--out", csv.toString(), "--force");
        assertThat(Files.readAllLines(csv)).hasSize(1);
    }

    @Test
    void statusListsExecutionsAndExplainsOne() {
        assertThat(run("revoke", "--org", ORG, "--learner", learnerOn("LEARNING_PRO", 4)).exitCode()).isZero();
        long execution = lastExecution();

        CliRun list = run("status");
        CliRun one = run("status", String.valueOf(execution));

        assertThat(list.out()).containsPattern(execution + " +COMPLETED +" + ORG + " +revoke +change");
        assertThat(one.out()).contains("execution " + execution).contains("REVOKED").contains("next: license-batch report");
        assertThat(run("status", "999999").exitCode()).isEqualTo(2);
        CliRun restart = run("restart", String.valueOf(execution));
        assertThat(restart.exitCode()).as("the run is where a restart would take it: done").isZero();
        assertThat(restart.out()).contains("has completed: nothing to restart");
    }

    @Test
    void verifyExitsOneAndNamesTheViolation() {
        assertThat(run("verify").exitCode()).isZero();
        jdbc.update("update license_pool set seats_used = seats_used - 1 where license_type = 'LEARNING_HUB'"
                + " and org_id = (select id from organization where name = ?)", ORG);
        try {
            CliRun verify = run("verify", "--org", ORG);
            assertThat(verify.exitCode()).isEqualTo(1);
            assertThat(verify.out()).contains("FAIL").contains("LEARNING_HUB: seats_used");
        } finally {
            jdbc.update("update license_pool set seats_used = seats_used + 1 where license_type = 'LEARNING_HUB'"
                    + " and org_id = (select id from organization where name = ?)", ORG);
        }
        assertThat(run("verify").exitCode()).isZero();
    }

    @Test
    void usageShowsPriorUsageUnderTheTypeItHappenedOn() {
        String learner = learnerOn("LEARNING_PRO", 5);
        String before = run("usage", "--org", ORG, "--learner", learner).out();
        assertThat(run("reassign", "--org", ORG, "--to", "LEARNING_ESSENTIALS", "--learner", learner).exitCode())
                .isZero();

        CliRun after = run("usage", "--org", ORG, "--learner", learner);

        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).contains("LEARNING_ESSENTIALS").contains("current").contains("(REASSIGNED)");
        assertThat(before.lines().filter(line -> line.contains("2024-") || line.contains("2025-")).toList())
                .allSatisfy(line -> assertThat(after.out()).contains(line.replace("current",
                        "").strip().split("  ")[0]));
        CliRun org = run("usage", "--org", ORG);
        assertThat(org.out()).contains("license type").contains("LEARNING_PRO");
    }

    @Test
    void aJobSpecRunsLikeTheCommandAndABadOneIsRefusedByName() throws IOException {
        Path spec = files.resolve("move.yaml");
        Files.writeString(spec, """
                # move two learners to Hub
                command: reassign
                org: Cli Co
                to: LEARNING_HUB
                select:
                  license-type: [LEARNING_PRO, LEARNING_ESSENTIALS]
                  search: learner1
                  inactive-since: 2099-01-01   # unquoted: YAML reads a timestamp, the spec passes the date
                exclude: [learner1@cli-co.example]
                note: from a spec
                dry-run: true
                """);
        CliRun ok = run("run", spec.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("[dry run: a plan, nothing changes]").contains("COMPLETED");

        Files.writeString(spec, "command: reassign\norg: Cli Co\nto: LEARNING_HUB\nselect:\n  colour: blue\n");
        CliRun unknown = run("run", spec.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains(spec.toString()).contains("'select.colour' is not an option of reassign");

        Files.writeString(spec, "command: revoke\norg: Cli Co\nselect:\n  department: \"\"\nyes: true\n");
        CliRun empty = run("run", spec.toString());
        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(2);
        assertThat(empty.err()).contains("--department: an empty value");

        Files.writeString(spec, "command: [unclosed\n");
        assertThat(run("run", spec.toString()).err()).contains("not valid YAML");
        assertThat(run("run", files.resolve("missing.yaml").toString()).err()).contains("no such job spec file");
    }

    private static void assertRefused(List<String> arguments, String... messages) {
        CliRun run = CliRun.of(withDb(arguments));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(messages);
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamedInOneLineWithWhatToDo() {
        String missing = TestDatabases.url("lbt_no_such_database");

        CliRun run = CliRun.of("status", "--db", missing);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("license-batch status: failed: FATAL: database \"lbt_no_such_database\" does not"
                + " exist").contains("Create the database first");
        CliProcess process = CliProcess.start(files, Map.of(), "status", "--db", missing);
        assertThat(process.waitFor(Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(process.output()).as("all a person sees").contains("Create the database first")
                .doesNotContain("Exception").hasLineCount(2);
    }

    @Test
    void aBadSettingIsBadInputNamingTheSettingWhereItCameFromAndWhy() {
        String db = TestDatabases.create("bad_setting");
        CliProcess notANumber = CliProcess.start(files, Map.of("LICENSE_BATCH_CHUNK_SIZE", "abc"), "status", "--db", db);
        CliProcess zero = CliProcess.start(files, Map.of("LICENSE_BATCH_PARTITIONS", "0"), "status", "--db", db);
        CliProcess workers = CliProcess.start(files, Map.of("LICENSE_BATCH_WORKERS", "remotely"), "status", "--db", db);
        CliProcess workersOfAJob = CliProcess.start(files, Map.of("LICENSE_BATCH_WORKERS", "remotely"), "revoke",
                "--org", ORG, "--learner", "1", "--db", db);
        CliProcess duration = CliProcess.start(files, Map.of("LICENSE_BATCH_PROGRESS_INTERVAL", "soon"), "status",
                "--db", db);
        CliProcess noGuard = CliProcess.start(files, Map.of("LICENSE_BATCH_GUARD_MAX_SHARE", "NaN"), "status", "--db",
                db);
        CliProcess neverChecks = CliProcess.start(files, Map.of("LICENSE_BATCH_CLAIM_CHECK_INTERVAL", "0s"), "status",
                "--db", db);
        CliProcess noQueue = CliProcess.start(files, Map.of("LICENSE_BATCH_REMOTE_QUEUE", " "), "worker", "--db", db);
        CliProcess reservedQueue = CliProcess.start(files, Map.of("LICENSE_BATCH_REMOTE_QUEUE", "amq.partitions"),
                "worker", "--db", db);

        assertThat(notANumber.waitFor(Duration.ofMinutes(1))).as(notANumber.output()).isEqualTo(2);
        assertThat(notANumber.output()).as("all a person sees").isEqualToIgnoringNewLines("license-batch status: bad"
                + " setting license-batch.chunk-size = \"abc\" (from System Environment Property"
                + " \"LICENSE_BATCH_CHUNK_SIZE\"): not a whole number (at most 2147483647). Fix or unset it; the settings and their"
                + " defaults are in the README");
        assertThat(zero.waitFor(Duration.ofMinutes(1))).as(zero.output()).isEqualTo(2);
        assertThat(zero.output()).as("the one that is 0, by both its names").contains("license-batch status: bad"
                + " setting: license-batch.partitions (LICENSE_BATCH_PARTITIONS) must be at least 1, not 0. Fix or unset"
                + " it").hasLineCount(1);
        assertThat(workers.waitFor(Duration.ofMinutes(1))).as(workers.output()).isEqualTo(2);
        assertThat(workers.output()).contains("license-batch status: bad setting license-batch.workers = \"remotely\""
                + " (from System Environment Property \"LICENSE_BATCH_WORKERS\"): not one of local, remote. Fix or unset it")
                .hasLineCount(1);
        assertThat(workersOfAJob.waitFor(Duration.ofMinutes(1))).as(workersOfAJob.output()).isEqualTo(2);
        assertThat(workersOfAJob.output()).as("in the same words on a job command, which looks at it early")
                .contains("license-batch revoke: bad setting license-batch.workers = \"remotely\" (from System"
                        + " Environment Property \"LICENSE_BATCH_WORKERS\"): not one of local, remote").hasLineCount(1);
        assertThat(duration.waitFor(Duration.ofMinutes(1))).as(duration.output()).isEqualTo(2);
        assertThat(duration.output()).contains("license-batch.progress-interval = \"soon\"").contains("not a duration"
                + " (such as 500ms, 2s, 5m or 7d)").hasLineCount(1);
        assertThat(noGuard.waitFor(Duration.ofMinutes(1))).as(noGuard.output()).isEqualTo(2);
        assertThat(noGuard.output()).as("NaN would switch the guard off").contains("bad setting:"
                + " license-batch.guard-max-share must be a share from 0 to 1 (0.10 is 10%), not NaN").hasLineCount(1);
        assertThat(neverChecks.waitFor(Duration.ofMinutes(1))).as(neverChecks.output()).isEqualTo(2);
        assertThat(neverChecks.output()).contains("bad setting: license-batch.claim-check-interval must be at least"
                + " 1ms, not PT0S").hasLineCount(1);
        assertThat(noQueue.waitFor(Duration.ofMinutes(1))).as(noQueue.output()).isEqualTo(2);
        assertThat(noQueue.output()).as("not the shared default queue, where another environment's requests wait")
                .contains("bad setting: license-batch.remote.queue is empty").hasLineCount(1);
        assertThat(reservedQueue.waitFor(Duration.ofMinutes(1))).as(reservedQueue.output()).isEqualTo(2);
        assertThat(reservedQueue.output()).contains("'amq.partitions': RabbitMQ reserves queue names that start with"
                + " amq.").hasLineCount(1);
    }

    /** Remote workers need PostgreSQL: on H2 the command is refused before the database file is created. */
    @Test
    void remoteWorkersOnH2AreRefusedBeforeTheDatabaseIsCreated() throws IOException {
        Path directory = Files.createDirectories(files.resolve("h2-remote"));
        String h2 = "jdbc:h2:file:" + directory.resolve("named/license-batch");
        CliRun migrate = CliRun.of("migrate", "--from", "LEARNING_PRO", "--to", "LEARNING_HUB", "--all-orgs",
                "--workers", "remote", "--db", h2);
        CliRun reassign = CliRun.of("reassign", "--org", ORG, "--to", "LEARNING_HUB", "--learner", "1",
                "--workers", "remote", "--db", h2);
        CliRun worker = CliRun.of("worker", "--db", h2);
        CliProcess fromTheEnvironment = CliProcess.start(directory, Map.of("LICENSE_BATCH_WORKERS", "REMOTE"),
                "revoke", "--org", ORG, "--learner", "1");

        assertThat(migrate.exitCode()).as(migrate.toString()).isEqualTo(2);
        assertThat(migrate.err()).contains("--workers remote: workers share the job repository").contains("use"
                + " PostgreSQL (--db)");
        assertThat(reassign.exitCode()).as(reassign.toString()).isEqualTo(2);
        assertThat(reassign.err()).contains("--workers remote: workers share the job repository");
        assertThat(worker.exitCode()).as(worker.toString()).isEqualTo(2);
        assertThat(worker.err()).contains("license-batch worker: workers share the job repository");
        assertThat(fromTheEnvironment.waitFor(Duration.ofMinutes(1))).as(fromTheEnvironment.output()).isEqualTo(2);
        assertThat(fromTheEnvironment.output()).contains("--workers remote: workers share the job repository")
                .hasLineCount(1);
        assertThat(directory.resolve("named")).as("the named H2 database").doesNotExist();
        assertThat(directory.resolve("data")).as("the embedded default, ./data/").doesNotExist();
    }

    @Test
    void aWorkerThatCannotReachItsBrokerSaysSoInOneLineAndEnds() throws IOException {
        String db = TestDatabases.create("worker_no_broker");
        int unused;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            unused = socket.getLocalPort(); // closed again: nothing listens there
        }
        CliProcess worker = CliProcess.start(files, Map.of("SPRING_RABBITMQ_PORT", String.valueOf(unused)), "worker",
                "--db", db);

        assertThat(worker.waitFor(Duration.ofMinutes(1))).as(worker.output()).isEqualTo(1);
        assertThat(worker.output()).as("all a person sees").contains("license-batch worker: cannot reach RabbitMQ at"
                + " localhost:" + unused + " for the worker").contains("then start the worker again")
                .doesNotContain("Exception").hasLineCount(1);
    }

    /** The broker closes a refused login's socket: that is the one line, not also the client's driver warning. */
    @Test
    void aRefusedBrokerLoginIsOneLineForTheWorkerAndTheManager() {
        String db = TestDatabases.create("broker_login");
        Map<String, String> wrongPassword = Map.of("SPRING_RABBITMQ_PASSWORD", "not-the-password");
        CliProcess worker = CliProcess.start(files, wrongPassword, "worker", "--db", db);
        CliProcess manager = CliProcess.start(files, wrongPassword, "migrate", "--from", "LEARNING_PRO", "--to",
                "LEARNING_HUB", "--all-orgs", "--workers", "remote", "--db", db);

        assertThat(worker.waitFor(Duration.ofMinutes(1))).as(worker.output()).isEqualTo(1);
        assertThat(worker.output()).as("all a person sees").contains("license-batch worker: RabbitMQ at localhost:5672"
                + " refused the login for the worker").doesNotContain("not-the-password").hasLineCount(1);
        assertThat(manager.waitFor(Duration.ofMinutes(1))).as(manager.output()).isEqualTo(1);
        assertThat(manager.output()).as("all a person sees").contains("license-batch migrate: RabbitMQ at"
                + " localhost:5672 refused the login for --workers remote").contains("Nothing changed")
                .hasLineCount(1);
    }

    @Test
    void aStartThatFailsForAnotherReasonStillGetsSpringBootsAnalysis() {
        String db = TestDatabases.create("no_data_source");
        CliProcess run = CliProcess.start(files, Map.of("SPRING_AUTOCONFIGURE_EXCLUDE",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"), "status", "--db", db);

        assertThat(run.waitFor(Duration.ofMinutes(1))).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("APPLICATION FAILED TO START").contains("Description:")
                .contains("required a bean of type").contains("Action:").contains("license-batch status: failed:");
    }

    static CliRun run(String... arguments) {
        return CliRun.of(withDb(List.of(arguments)));
    }

    private static String[] withDb(List<String> arguments) {
        List<String> all = new java.util.ArrayList<>(arguments);
        if (!all.contains("--db") && !all.contains("--help")) {
            all.add("--db");
            all.add(db);
        }
        return all.toArray(new String[0]);
    }

    /** The email of the n-th learner (from 0) whose current license is of the type, in id order. */
    private static String learnerOn(String type, int n) {
        return jdbc.queryForObject("""
                select l.email from learner l join license_assignment a on a.learner_id = l.id and a.ended_at is null
                 where a.license_type = ? and l.status = 'ACTIVE' order by l.id limit 1 offset ?
                """, String.class, type, 10 + n);
    }

    private static long lastExecution() {
        return count("select max(job_execution_id) from batch_job_execution");
    }

    private static long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
