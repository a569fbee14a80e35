package io.licensebatch.jvm;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.TestDatabases;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.busyDatabaseWithAccount;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.lastExecution;
import static io.licensebatch.support.Processes.status;
import static io.licensebatch.support.Processes.whileAlive;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar license-batch.jar} runs the {@link Launcher}, which runs the job in a child JVM with lean
 * options. With real processes: the child gets those options and the operator's own; SIGTERM to the launcher
 * stops the job at a chunk boundary; SIGKILL to the launcher ends the child too; exit codes pass through.
 */
class LauncherTest {

    private static final String ORG = "Launch Co";
    private static final Map<String, String> SMALL_CHUNKS = Map.of("LICENSE_BATCH_CHUNK_SIZE", "20");

    @TempDir
    Path workDir;

    @Test
    void theJobRunsInAChildJvmWithTheLeanOptionsAndSigtermToTheLauncherStopsItAtAChunkBoundary() throws Exception {
        Running run = reassignUnderWay("launch_term", Map.of("JAVA_TOOL_OPTIONS",
                "-Dspring.datasource.password=s3cret-from-env"));
        JdbcTemplate jdbc = run.jdbc();
        ProcessHandle child = onlyChild(run.launcher());
        List<String> arguments = jvmArguments(child);
        assertThat(arguments).contains("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC", "-Xmx200m",
                "-D" + Launcher.LAUNCHER_PID + "=" + run.launcher().pid(),
                "-Dspring.datasource.password=s3cret-from-env");
        assertThat(arguments.indexOf("-Xmx200m")).as("the operator's options come after the launcher's, and win")
                .isGreaterThan(arguments.indexOf("-XX:+UseSerialGC"));
        List<String> visible = commandLine(child);
        assertThat(visible).as("what any local user can read of the child: no option, no argument")
                .hasSize(2).noneMatch(argument -> argument.contains("s3cret") || argument.contains("--db"));
        assertThat(visible.get(1)).startsWith("@");
        assertThat(Path.of(visible.get(1).substring(1))).as("the argument file, deleted once read").doesNotExist();
        long execution = lastExecution(jdbc);
        assertThat(count(jdbc, "select pid from execution_owner where job_execution_id = ?", execution))
                .as("the process that owns the run").isEqualTo(child.pid());

        run.launcher().terminate();
        int exitCode = run.launcher().waitFor(Duration.ofSeconds(30));

        assertThat(child.isAlive()).isFalse();
        assertThat(exitCode).as("a stopped run exits 1, not the JVM's 143: " + run.launcher().output()).isEqualTo(1);
        assertThat(run.launcher().output()).contains("Shutting down: execution")
                .contains("Execution " + lastExecution(jdbc) + " STOPPED at a chunk boundary")
                .doesNotContain("has been closed");
        assertThat(status(jdbc, execution)).isEqualTo("STOPPED");
        assertThat(outcomes(jdbc)).isLessThan(count(jdbc, "select items from selection_taken"));
        assertThat(Cli.execute("restart", "--db", run.db(), String.valueOf(execution))).isZero();
        assertThat(Cli.execute("verify", "--db", run.db())).isZero();
    }

    @Test
    void killingTheLauncherEndsTheJobAtOnceAndRestartFinishesIt() throws Exception {
        Running run = reassignUnderWay("launch_kill");
        JdbcTemplate jdbc = run.jdbc();
        ProcessHandle child = onlyChild(run.launcher());

        run.launcher().kill();

        child.onExit().get(5, TimeUnit.SECONDS);
        // Once its sessions are gone, nothing of the child's can commit any more: what is there is final.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(jdbc, "select count(*) from"
                + " pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()") == 0);
        long done = outcomes(jdbc);
        assertThat(done).as("the chunks committed before the kill stay").isPositive();
        long execution = lastExecution(jdbc);
        assertThat(status(jdbc, execution)).as("left as a killed run leaves it").isEqualTo("STARTED");
        assertThat(outcomes(jdbc)).as("nothing is written after the child ended").isEqualTo(done);
        assertThat(Cli.execute("restart", "--db", run.db(), String.valueOf(execution))).isZero();
        assertThat(outcomes(jdbc)).isEqualTo(count(jdbc, "select items from selection_taken"));
        assertThat(Cli.execute("verify", "--db", run.db())).isZero();
    }

    @Test
    void theChildsExitCodeIsTheLaunchers() {
        CliProcess usageError = CliProcess.startThroughLauncher(workDir, Map.of(), "reassign", "--org", ORG);
        assertThat(usageError.waitFor(Duration.ofSeconds(60))).as(usageError.output())
                .isEqualTo(Cli.execute("reassign", "--org", ORG)).isEqualTo(2);

        CliProcess version = CliProcess.startThroughLauncher(workDir, Map.of(), "--version");
        assertThat(version.waitFor(Duration.ofSeconds(60))).isZero();
        assertThat(version.output()).startsWith("license-batch");
    }

    /**
     * The child's arguments go through a java argument file: one with line ends (a note pasted from a ticket) must
     * reach it whole, not as a second argument. Here the note's second line is {@code --yes}, which would have
     * confirmed the mass change the guard stops.
     */
    @Test
    void anArgumentWithLineEndsReachesTheChildWholeAndAddsNoOption() {
        String db = TestDatabases.create("launcher_note");
        assertThat(Cli.execute("generate", "--db", db, "--org", ORG, "--learners", "200", "--seed", "5")).isZero();
        String note = "OPS-77 from ticket\n--yes\r\n\t\f \\\"quoted\" \\n end";

        CliProcess revoke = CliProcess.startThroughLauncher(workDir, Map.of(), "revoke", "--org", ORG, "--status",
                "ACTIVE", "--note", note, "--db", db);

        assertThat(revoke.waitFor(Duration.ofSeconds(90))).as("blocked by the guard: " + revoke.output()).isEqualTo(4);
        assertThat(jdbc(db).queryForObject("select note from change_request", String.class)).isEqualTo(note);
        assertThat(count(jdbc(db), "select count(*) from license_change_outcome")).as("nothing revoked").isZero();
    }

    @Test
    void optionsFromTheEnvironmentReachTheChildOnce() {
        CliProcess version = CliProcess.startThroughLauncher(workDir,
                Map.of("JAVA_TOOL_OPTIONS", "-Dlicense-batch.test=1"), "--version");

        assertThat(version.waitFor(Duration.ofSeconds(60))).as(version.output()).isZero();
        assertThat(version.output().split("Picked up JAVA_TOOL_OPTIONS", -1)).as(version.output()).hasSize(2);
    }

    private record Running(String db, JdbcTemplate jdbc, CliProcess launcher) {
    }

    /** A reassign through the launcher, on an account of its own, once its first outcomes are committed. */
    private Running reassignUnderWay(String purpose) {
        return reassignUnderWay(purpose, Map.of());
    }

    private Running reassignUnderWay(String purpose, Map<String, String> environment) {
        String db = busyDatabaseWithAccount(purpose, ORG, 8_000, 4);
        JdbcTemplate jdbc = jdbc(db);
        Map<String, String> all = new java.util.HashMap<>(SMALL_CHUNKS);
        all.putAll(environment);
        CliProcess launcher = CliProcess.startThroughLauncher(workDir, all, "reassign", "--yes", "--db", db, "--org",
                ORG, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO");
        whileAlive(launcher).until(() -> outcomes(jdbc) > 0);
        return new Running(db, jdbc, launcher);
    }

    private static ProcessHandle onlyChild(CliProcess launcher) {
        List<ProcessHandle> children = launcher.children();
        assertThat(children).as("the launcher's child JVM").hasSize(1);
        return children.get(0);
    }

    /** The options the child's JVM was started with, as it parsed them (jcmd asks the JVM itself). */
    private static List<String> jvmArguments(ProcessHandle process) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "VM.command_line").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor()).as(output).isZero();
        String line = output.lines().filter(text -> text.startsWith("jvm_args:")).findFirst().orElseThrow();
        return List.of(line.substring("jvm_args:".length()).trim().split(" "));
    }

    /** From /proc: ProcessHandle.Info leaves out the arguments of a command line as long as a test's. */
    private static List<String> commandLine(ProcessHandle process) throws IOException {
        String raw = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
        return List.of(raw.split("\0"));
    }

    private static long outcomes(JdbcTemplate jdbc) {
        return count(jdbc, "select count(*) from license_change_outcome");
    }

    @Test
    void theArchiveBesideTheJarIsUsedOnlyIfItIsNotOlderThanTheJar() throws IOException {
        Path jar = Files.createFile(workDir.resolve("license-batch.jar"));
        Path archive = Files.createFile(workDir.resolve(Launcher.ARCHIVE));
        FileTime built = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(jar, built);
        Files.setLastModifiedTime(archive, built);

        assertThat(Launcher.archiveFor(jar.toString())).contains(archive);
        assertThat(Launcher.archiveFor(jar + File.pathSeparator + "other.jar")).isEmpty();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_001_000L));
        assertThat(Launcher.archiveFor(jar.toString())).as("the jar was rebuilt after the archive").isEmpty();
    }

    @Test
    void oneCompilerThreadComesWithTheQuickJitOnlyAndNeverOverridesTheOperatorsChoice() {
        assertThat(Launcher.childArguments(List.of(), new String[] {"status"}))
                .contains("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");
        assertThat(Launcher.childArguments(List.of("-XX:CICompilerCount=2"), new String[] {"status"}))
                .contains("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=2").doesNotContain("-XX:CICompilerCount=1");
        // The full tiered JIT needs at least two compiler threads: a JVM given one would not start.
        assertThat(Launcher.childArguments(List.of("-XX:TieredStopAtLevel=4"), new String[] {"status"}))
                .doesNotContain("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");
    }
}
