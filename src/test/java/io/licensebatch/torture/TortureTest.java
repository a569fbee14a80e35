package io.licensebatch.torture;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Faults;
import io.licensebatch.support.TestDatabases;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run interrupted again and again at random moments, and restarted each time: by SIGKILL of the launcher,
 * of its child JVM or of a JVM started directly, and by cutting its database connections, whether it is
 * selecting, staging, applying, summing up or restarting itself. Three runs: a filtered reassign into a pool that
 * is short (seats in selection order), an upload with bad records of every kind and a short pool, and a
 * migration across four organizations with a short pool in one. Each must end exactly as the same run ends on a
 * copy of the same data when nothing disturbs it (assignments, pools, outcomes per learner and record, usage),
 * and no restart after an interruption may be refused.
 *
 * <p>Bounded for CI: {@value #DEFAULT_INTERRUPTIONS} interruptions per run on {@value #DEFAULT_LEARNERS} learners.
 * The longer mode (README): {@code -Dtorture.interruptions=12 -Dtorture.learners=200000}. Every run prints its
 * seed; {@code -Dtorture.seed=N} replays one.
 */
class TortureTest {

    static final int DEFAULT_INTERRUPTIONS = 3;
    static final int DEFAULT_LEARNERS = 30_000;
    static final int INTERRUPTIONS = Integer.getInteger("torture.interruptions", DEFAULT_INTERRUPTIONS);
    static final int LEARNERS = Integer.getInteger("torture.learners", DEFAULT_LEARNERS);
    static final long SEED = Long.getLong("torture.seed", System.nanoTime());

    /** Small chunks and ranges, so that an interruption finds some ranges done, some running, some not started. */
    static final Map<String, String> SETTINGS = Map.of("LICENSE_BATCH_CHUNK_SIZE", "100",
            "LICENSE_BATCH_MIN_PARTITION_ITEMS", String.valueOf(Math.max(500, LEARNERS / 20)));

    @TempDir
    static Path workDir;

    @BeforeAll
    static void seed() {
        System.out.println("torture: seed " + SEED + ", " + INTERRUPTIONS + " interruptions per run, " + LEARNERS
                + " learners (replay: -Dtorture.seed=" + SEED + ")");
    }

    @Test
    void aFilteredReassignIntoAShortPool() {
        String template = account("torture_reassign", List.of("Torture Co"), LEARNERS);
        JdbcTemplate jdbc = jdbc(template);
        long arrivals = count(jdbc, """
                select count(*) from learner l join license_assignment a on a.learner_id = l.id and a.ended_at is null
                 where l.status = 'ACTIVE' and a.license_type = 'LEARNING_PRO'
                """);
        shortenPool(jdbc, "Torture Co", "LEARNING_HUB", arrivals * 3 / 5);

        new Tortured("reassign", template, List.of("Torture Co"), new Random(SEED)).run("reassign",
                "--confirm-large-change", "--org", "Torture Co", "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO", "--status", "ACTIVE",
                "--exclude", "11,12,learner13@torture-co.example");
    }

    @Test
    void anUploadWithBadRecordsAndAShortPool() throws IOException {
        String template = account("torture_upload", List.of("Upload Co", "Elsewhere Co"), LEARNERS);
        shortenPool(jdbc(template), "Upload Co", "LEARNING_ESSENTIALS", LEARNERS / 10);
        Path file = workDir.resolve("torture-upload.csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,license_type,reason\r\n");
            for (int i = 1; i <= LEARNERS; i++) {
                String learner = i % 89 == 0 ? "learner" + (i % 200 + 1) + "@elsewhere-co.example"
                        : i % 101 == 0 ? "learner" + (i - 50) + "@upload-co.example"
                        : "learner" + i + "@upload-co.example";
                String target = switch (i % 6) {
                    case 0 -> "LEARNING_HUB";
                    case 1 -> "learning_essentials";
                    case 2 -> "REVOKE";
                    case 3 -> "LEARNING_PRO";
                    case 4 -> "LEARNING_HUBB";
                    default -> "LEARNING_ESSENTIALS";
                };
                String reason = i % 7 == 0 ? "\"moved\r\nby HR, \"\"batch\"\"\"" : "batch " + i;
                if (i % 97 == 0) {
                    out.write(learner + "," + target + "\r\n"); // a field short
                } else if (i % 103 == 0) {
                    out.write("learner" + (i - 1) + "@upload-co.example,LEARNING_PRO,conflict\r\n");
                } else {
                    out.write(learner + "," + target + "," + reason + "\r\n");
                }
            }
        }

        new Tortured("upload", template, List.of("Upload Co"), new Random(SEED + 1)).run("reassign",
                "--confirm-large-change", "--org", "Upload Co", "--csv", file.toString());
    }

    @Test
    void aMigrationAcrossOrgsWithAShortPoolInOne() {
        List<String> orgs = List.of("Mig North", "Mig East", "Mig South", "Mig West");
        String template = account("torture_migrate", orgs, LEARNERS / orgs.size());
        shortenPool(jdbc(template), "Mig South", "LEARNING_ESSENTIALS", LEARNERS / 40);

        new Tortured("migrate", template, orgs, new Random(SEED + 2)).run("migrate", "--confirm-large-change", "--from", "LEARNING_PRO", "--to",
                "LEARNING_ESSENTIALS", "--all-orgs");
    }

    /** A template database holding generated accounts of the given orgs. */
    private static String account(String purpose, List<String> orgs, int learners) {
        String db = TestDatabases.create(purpose);
        long seed = 3;
        for (String org : orgs) {
            int size = org.startsWith("Elsewhere") ? 200 : learners;
            assertThat(Cli.execute("generate", "--db", db, "--org", org, "--learners", String.valueOf(size),
                    "--seed", String.valueOf(seed++))).isZero();
        }
        // As busy as a production server: the runs last long enough for interruptions to land in every phase.
        Faults.slowDown(jdbc(db), "license_change_outcome", 5);
        Faults.slowDown(jdbc(db), "selection_item", 5);
        return db;
    }

    /** Leaves the org's pool of the type only this many free seats. */
    private static void shortenPool(JdbcTemplate jdbc, String org, String type, long free) {
        jdbc.update("update license_pool set seats_total = seats_used + ? where license_type = ?"
                + " and org_id = (select id from organization where name = ?)", free, type, org);
    }

    /** About how long a license-batch process takes to start, of the uninterrupted run's time. */
    private static final long START_UP_MILLIS = 2500;

    /** The kinds of interruption. */
    enum Interruption { KILL_LAUNCHER, KILL_CHILD, KILL_DIRECT, CUT_CONNECTIONS }

    /** One run, uninterrupted on one copy and interrupted again and again on another. */
    private record Tortured(String name, String template, List<String> orgs, Random random) {

        void run(String... command) {
            String reference = TestDatabases.copyOf(template, "ref_" + name);
            String victim = TestDatabases.copyOf(template, "vic_" + name);

            long started = System.nanoTime();
            CliProcess clean = CliProcess.start(workDir, SETTINGS, with(command, "--db", reference));
            assertThat(clean.waitFor(Duration.ofMinutes(5))).as(clean.output()).isZero();
            long took = Duration.ofNanos(System.nanoTime() - started).toMillis();

            JdbcTemplate jdbc = jdbc(victim);
            long outcomes = count(jdbc(reference), "select count(*) from license_change_outcome");
            List<String> log = new ArrayList<>();
            String[] next = with(command, "--db", victim);
            boolean completed = false;
            for (int i = 1; i <= INTERRUPTIONS && !completed; i++) {
                Interruption kind = Interruption.values()[random.nextInt(Interruption.values().length)];
                // A moment within what is left of the run: a restart has less to do than the first start, and a
                // moment after its end would interrupt nothing.
                double left = 1 - (double) count(jdbc, "select count(*) from license_change_outcome") / outcomes;
                long expected = (long) (Math.min(took, START_UP_MILLIS) + Math.max(0, took - START_UP_MILLIS) * left);
                long at = 200 + (long) (random.nextDouble() * expected * 0.9);
                boolean launched = kind == Interruption.KILL_LAUNCHER || kind == Interruption.KILL_CHILD;
                CliProcess process = launched ? CliProcess.startThroughLauncher(workDir, SETTINGS, next)
                        : CliProcess.start(workDir, SETTINGS, next);
                pause(at);
                int code = interrupt(process, kind, jdbc);
                String line = name + " " + i + ": " + String.join(" ", next) + " -> " + kind + " at " + at + " ms,"
                        + " exit " + code;
                log.add(line);
                System.out.println("torture: " + line);
                String output = process.output();
                assertThat(code).as("seed %d, %s: a refusal after an interruption\n%s", SEED, log, output)
                        .isNotIn(2, 3);
                assertThat(output).as("seed %d, %s", SEED, log).doesNotContain("Manual intervention")
                        .doesNotContain("Cannot restart");
                completed = code == 0;
                next = completed ? next : resumeCommand(jdbc, command, victim);
            }
            if (!completed) {
                CliProcess last = CliProcess.start(workDir, SETTINGS, next);
                int code = last.waitFor(Duration.ofMinutes(5));
                log.add(name + " last: " + String.join(" ", next) + " -> exit " + code);
                assertThat(code).as("seed %d, %s\n%s", SEED, log, last.output()).isZero();
            }

            JdbcTemplate expected = jdbc(reference);
            for (String org : orgs) {
                long orgId = count(expected, "select id from organization where name = ?", org);
                AccountState want = AccountState.of(expected, orgId);
                AccountState got = AccountState.of(jdbc, orgId);
                assertThat(got.assignments()).as("seed %d, %s, %s: assignments", SEED, log, org)
                        .isEqualTo(want.assignments());
                assertThat(got.pools()).as("seed %d, %s, %s: pools", SEED, log, org).isEqualTo(want.pools());
                assertThat(got.outcomes()).as("seed %d, %s, %s: outcomes", SEED, log, org).isEqualTo(want.outcomes());
                assertThat(got.usage()).as("seed %d, %s, %s: usage", SEED, log, org).isEqualTo(want.usage());
            }
            assertThat(count(jdbc, "select count(*) from license_change_outcome"))
                    .as("seed %d, %s: one outcome per item", SEED, log)
                    .isEqualTo(count(expected, "select count(*) from license_change_outcome"));
            assertThat(Cli.execute("verify", "--db", victim)).isZero();
        }

        /** What an operator runs next: a restart of the run, or the command again if no execution exists yet. */
        private static String[] resumeCommand(JdbcTemplate jdbc, String[] command, String db) {
            long execution = count(jdbc, "select coalesce(max(job_execution_id), 0) from batch_job_execution");
            return execution == 0 ? with(command, "--db", db)
                    : new String[] {"restart", "--db", db, String.valueOf(execution)};
        }

        /** Interrupts the process as told; returns its exit code once it and every JVM it started are gone. */
        private static int interrupt(CliProcess process, Interruption kind, JdbcTemplate jdbc) {
            List<ProcessHandle> children = process.children();
            switch (kind) {
                case KILL_LAUNCHER, KILL_DIRECT -> process.kill();
                case KILL_CHILD -> {
                    if (children.isEmpty()) {
                        process.kill(); // not started yet: the launcher is the process to kill
                    } else {
                        children.forEach(ProcessHandle::destroyForcibly);
                    }
                }
                case CUT_CONNECTIONS -> Faults.cutConnections(jdbc);
            }
            int code = process.waitFor(Duration.ofMinutes(5));
            children.forEach(child -> child.onExit().join());
            return code;
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis); // a random moment of the run is what this test is about
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
