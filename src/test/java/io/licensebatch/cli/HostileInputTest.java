package io.licensebatch.cli;

import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Commands;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile/}, its README says what each case is) through the
 * command line, each case refused as it says and nothing changed; then the hostile things that need a file made
 * on the spot or a second org: a line of two million characters, a header of unknown columns, an export with
 * extra columns, another org's learner in an upload, a report written over a file or through a link, and
 * secrets that must not be echoed.
 */
class HostileInputTest {

    private static final Path CORPUS = Path.of("src/test/resources/hostile");

    static String db;
    static JdbcTemplate jdbc;
    static Account org;
    static Account other;

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() throws IOException, InterruptedException {
        db = TestDatabases.create("hostile");
        assertThat(Commands.run(db, "status").code()).isZero();
        jdbc = jdbc(db);
        TestAccounts accounts = new TestAccounts(jdbc);
        org = accounts.account("Hostile Co").pool(PRO, 20).pool(HUB, 20);
        other = accounts.account("Victim Co").pool(PRO, 5).pool(HUB, 5);
        for (int i = 1; i <= 6; i++) {
            org.learner(aLearner().email("learner" + i + "@hostile.example").department("Sales").onLicense(PRO));
        }
        other.learner(aLearner().email("secret.person@victim.example").onLicense(HUB));
        // What the attacks would run, if anything ran them: a script that makes a file.
        Files.writeString(dir.resolve("evil.sql"), "create table evil_was_here (x int);");
        Process fifo = new ProcessBuilder("mkfifo", dir.resolve("fifo.csv").toString()).inheritIO().start();
        assertThat(fifo.waitFor()).as("mkfifo").isZero();
    }

    @TestFactory
    Stream<DynamicTest> specsAndRulesFilesOfTheCorpus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : List.of("specs", "rules")) {
            try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    tests.add(DynamicTest.dynamicTest(kind + "/" + file.getFileName(), () -> refused(kind, file)));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(12);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> optionValuesOfTheCorpus() throws IOException {
        return Files.readAllLines(CORPUS.resolve("options.cases")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> DynamicTest.dynamicTest(line.substring(0, line.indexOf('|')).strip(), () -> {
                    String[] parts = line.split("\\|");
                    String[] arguments = parts[0].strip().replace("${dir}", dir.toString())
                            .replace("${org}", String.valueOf(org.id)).split(" (?=--)");
                    String before = everything();
                    Commands run = Commands.run(db, arguments(arguments));
                    assertThat(run.code()).as(run.output()).isEqualTo(Integer.parseInt(parts[1].strip()));
                    assertThat(run.output()).contains(parts[2].strip()).doesNotContain("hunter2")
                            .doesNotContain("picocli WARN");
                    assertThat(everything()).as("nothing changed").isEqualTo(before);
                    assertThat(Files.exists(dir.resolve("evil.mv.db"))).as("no database of the attack").isFalse();
                }));
    }

    @Test
    void aLineOfTwoMillionCharactersIsRefusedBeforeAnythingStartsNamingTheLine() throws IOException {
        Path file = dir.resolve("one-line.csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,license_type\nlearner1@hostile.example,LEARNING_HUB\n");
            for (int i = 0; i < 200_000; i++) {
                out.write("0123456789");
            }
        }
        Commands run = Commands.run(db, "reassign", "--org", org.name, "--csv", file.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains(file + ": line 3 is longer than 1,048,576 characters")
                .containsOnlyOnce("Nothing was changed");
    }

    @Test
    void aHeaderOfOnlyUnknownColumnsIsNamedAsSuchAndExtraColumnsCanBeIgnored() throws IOException {
        Path unknown = dir.resolve("unknown-header.csv");
        Files.write(unknown, List.of("e-mail,licence", "learner1@hostile.example,LEARNING_HUB"));
        Commands refused = Commands.run(db, "reassign", "--org", org.name, "--csv", unknown.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.output()).contains("names no column license-batch knows, only e-mail, licence")
                .doesNotContain("no header row");

        Path export = dir.resolve("hr-export.csv");
        Files.write(export, List.of("email,license_type,department,manager",
                "learner1@hostile.example,LEARNING_HUB,Sales,Ann"));
        Commands extra = Commands.run(db, "reassign", "--org", org.name, "--csv", export.toString());
        assertThat(extra.code()).isEqualTo(2);
        assertThat(extra.output()).contains("unknown column(s) in the header: department, manager")
                .contains("--ignore-columns department,manager");
        Commands ignored = Commands.run(db, "reassign", "--org", org.name, "--csv", export.toString(),
                "--ignore-columns", "department,manager");
        assertThat(ignored.code()).as(ignored.output()).isZero();
        assertThat(Commands.run(db, "reassign", "--org", org.name, "--csv", export.toString(), "--ignore-columns",
                "*", "--same-file-again").code()).isZero();
    }

    @Test
    void anotherOrgsLearnerInAnUploadIsRejectedAndNothingOfThemIsShown() throws IOException {
        Path file = dir.resolve("other-org.csv");
        Files.write(file, List.of("email,license_type", "secret.person@victim.example,LEARNING_PRO"));
        Commands run = Commands.run(db, "reassign", "--org", org.name, "--csv", file.toString());
        assertThat(run.code()).as(run.output()).isZero();

        Commands report = Commands.run(db, "report", String.valueOf(run.execution()));
        assertThat(report.output()).contains("REJECTED,LEARNER_IN_OTHER_ORG").contains("secret.person@victim.example")
                .as("the other org's license stays out").doesNotContain(HUB);
        String[] row = report.output().lines().skip(1).findFirst().orElseThrow().split(",", -1);
        assertThat(row[2]).as("learner_id: the other org's learner id stays out").isEmpty();
        assertThat(row[3]).as("email: nothing but what the record said").isEmpty();
        assertThat(row[4]).as("previous_license_type").isEmpty();
        assertThat(count(jdbc, "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and (learner_id is not null or previous_license_type is not null)", run.execution())).isZero();
    }

    @Test
    void aReportIsNeverWrittenOverAFileOrThroughALinkAndSaysWhy() throws IOException {
        Commands change = Commands.run(db, "revoke", "--org", org.name, "--learner", "learner6@hostile.example");
        String execution = String.valueOf(change.execution());
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), victim);
        Commands throughLink = Commands.run(db, "report", execution, "--out", link.toString());
        assertThat(throughLink.code()).isEqualTo(2);
        assertThat(throughLink.output()).contains("is a symbolic link");
        Commands throughLinkForced = Commands.run(db, "report", execution, "--out", link.toString(), "--force");
        assertThat(throughLinkForced.code()).isEqualTo(2);
        assertThat(Files.readString(victim)).isEqualTo("precious");

        Path existing = Files.writeString(dir.resolve("existing.csv"), "keep me");
        assertThat(Commands.run(db, "report", execution, "--out", existing.toString()).output())
                .contains("exists already; --force replaces it");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(Commands.run(db, "report", execution, "--out", existing.toString(), "--force").code()).isZero();
        assertThat(Files.readString(existing)).startsWith("record_number,");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(Path::toString)).as("no temporary file left").noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void aPasswordIsEchoedNowhere() throws IOException {
        Path spec = dir.resolve("echo.yaml");
        Files.writeString(spec, "command: revoke\norg: " + org.name + "\nlearner: [learner5@hostile.example]\n"
                + "dry-run: true\n");
        Commands run = Commands.run(db, "run", spec.toString(), "--db", db + "&password=hunter2");
        assertThat(run.output()).contains("run " + spec + ": license-batch revoke").contains("password=***")
                .doesNotContain("hunter2");
    }

    @Test
    void neitherTheEnvironmentsPasswordNorOneInTheUrlReachesOutputArgumentsOrTheDatabase() throws Exception {
        String name = db.substring(db.lastIndexOf('/') + 1, db.indexOf('?'));
        Map<String, String> environment = Map.of("LICENSE_BATCH_DB_URL", db.substring(0, db.indexOf('?')),
                "LICENSE_BATCH_DB_USER", TestDatabases.user(), "LICENSE_BATCH_DB_PASSWORD", "env-s3cret-77");
        CliProcess fromEnvironment = CliProcess.startThroughLauncher(dir, environment, "revoke", "--org", org.name,
                "--learner", "learner4@hostile.example", "--note", "secrets check");
        List<String> childArguments = new ArrayList<>();
        while (fromEnvironment.isAlive() && childArguments.isEmpty()) {
            fromEnvironment.children().forEach(child -> childArguments.addAll(commandLine(child)));
            Thread.sleep(20);
        }
        CliProcess unknownOrg = CliProcess.start(dir, environment, "revoke", "--org", "No Such Co", "--learner", "x");
        CliProcess typed = CliProcess.start(dir, Map.of(), "revoke", "--db", db + "&password=url-s3cret-88", "--org",
                org.name, "--learner", "learner3@hostile.example", "--dry-run");

        assertThat(fromEnvironment.waitFor(Duration.ofSeconds(90))).as(fromEnvironment.output()).isZero();
        assertThat(unknownOrg.waitFor(Duration.ofSeconds(90))).as(unknownOrg.output()).isEqualTo(2);
        assertThat(typed.waitFor(Duration.ofSeconds(90))).as(typed.output()).isZero();
        assertThat(childArguments).as("the child JVM's command line").isNotEmpty().noneMatch(argument -> argument.contains("s3cret"));
        assertThat(fromEnvironment.output() + unknownOrg.output() + typed.output()).doesNotContain("s3cret");
        Process dump = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", TestDatabases.user(), "--data-only", name)
                .redirectErrorStream(true).start();
        String everything = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor()).as(everything).isZero();
        assertThat(everything).contains("secrets check").doesNotContain("s3cret");
    }

    /** From /proc, as any local user may read it. */
    private static List<String> commandLine(ProcessHandle process) {
        try {
            return List.of(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    @Test
    void aSpecRunsAsReviewedOptionsAfterItMayNotWidenIt() throws IOException {
        Path spec = dir.resolve("sales.yaml");
        Files.writeString(spec, "command: revoke\norg: " + org.name + "\nselect:\n  department: Sales\n"
                + "note: reviewed\ndry-run: true\n");
        Commands widened = Commands.run(db, "run", spec.toString(), "--department", "Support");
        assertThat(widened.code()).isEqualTo(2);
        assertThat(widened.output()).contains("'--department' after a spec: a spec is run as it was reviewed");

        Commands noted = Commands.run(db, "run", spec.toString(), "--dry-run", "--note", "OPS-7");
        assertThat(noted.code()).as(noted.output()).isZero();
        assertThat(jdbc.queryForObject("select note from change_request order by id desc limit 1", String.class))
                .isEqualTo("OPS-7");
    }

    private void refused(String kind, Path file) throws IOException {
        Map<String, String> expected = expectation(file);
        Path copy = dir.resolve(file.getFileName());
        Files.writeString(copy, Files.readString(file).replace("Hostile Co", org.name));
        String before = everything();
        Commands run = kind.equals("specs") ? Commands.run(db, "run", copy.toString())
                : Commands.run(db, "reorganise", "--rules", copy.toString(), "--date", "2026-12-01");
        assertThat(run.code()).as(run.output()).isEqualTo(Integer.parseInt(expected.get("exit")));
        assertThat(run.output()).contains(expected.get("message")).contains(copy.getFileName().toString());
        assertThat(everything()).as("nothing changed").isEqualTo(before);
        assertThat(Files.exists(Path.of("evil.mv.db"))).as("no database of the attack").isFalse();
    }

    private static Map<String, String> expectation(Path yaml) throws IOException {
        Path file = yaml.resolveSibling(yaml.getFileName().toString().replace(".yaml", ".expected"));
        Map<String, String> expected = new java.util.HashMap<>();
        for (String line : Files.readAllLines(file)) {
            expected.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
        }
        return expected;
    }

    /** The data a refused input must not touch: assignments, pools, requests, runs. */
    private static String everything() {
        return jdbc.queryForList("select count(*) from license_assignment", Long.class) + " "
                + jdbc.queryForList("select sum(seats_used) from license_pool", Long.class) + " "
                + jdbc.queryForList("select count(*) from change_request", Long.class) + " "
                + jdbc.queryForList("select count(*) from batch_job_execution", Long.class);
    }

    /** "command words --option value --flag ...": a value is everything up to the next option, spaces and all. */
    private static String[] arguments(String[] parts) {
        List<String> arguments = new ArrayList<>(List.of(parts[0].strip().split(" ")));
        for (String part : List.of(parts).subList(1, parts.length)) {
            int space = part.indexOf(' ');
            arguments.add(space < 0 ? part.strip() : part.substring(0, space));
            if (space > 0) {
                arguments.add(part.substring(space + 1).strip());
            }
        }
        return arguments.toArray(new String[0]);
    }
}
