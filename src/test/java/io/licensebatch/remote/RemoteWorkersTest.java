package io.licensebatch.remote;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Faults;
import io.licensebatch.support.TestDatabases;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.lastExecution;
import static io.licensebatch.support.Processes.status;
import static io.licensebatch.support.Processes.whileAlive;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote partitioning for real: the machine's RabbitMQ, worker JVMs started here ({@code license-batch worker}),
 * a manager JVM ({@code migrate --all-orgs --workers remote}) on a platform of many orgs, all on one PostgreSQL
 * database. Workers and managers are killed, stopped and signalled mid-run, and every run must end in the state
 * of the same migration run locally, without disturbance, on a copy of the same data. Each test has a queue of
 * its own, so runs of the suite do not take each other's partitions.
 */
class RemoteWorkersTest {

    private static final int ORGS = 30;
    private static final int LEARNERS_PER_ORG = 250;
    private static final String[] MIGRATE = {"migrate", "--from", "LEARNING_PRO", "--to", "LEARNING_HUB",
            "--all-orgs", "--transfer-seats", "--yes"};
    private static final Duration RUN = Duration.ofMinutes(3);

    @TempDir
    static Path workDir;

    static String platform;
    static List<AccountState> undisturbed;
    static long selected;

    private final List<CliProcess> started = new ArrayList<>();
    private String queue;
    private Map<String, String> settings;

    @BeforeAll
    static void theSameMigrationRunLocally() {
        platform = TestDatabases.create("remote_platform");
        assertThat(Cli.execute("generate", "--db", platform, "--org", "Remote", "--orgs", String.valueOf(ORGS),
                "--learners", String.valueOf(LEARNERS_PER_ORG))).isZero();
        String local = TestDatabases.copyOf(platform, "remote_local");
        assertThat(Cli.execute(with(MIGRATE, "--db", local))).isZero();
        undisturbed = AccountState.platform(jdbc(local));
        selected = count(jdbc(local), "select count(*) from license_change_outcome");
        assertThat(selected).as("the platform has learners to migrate").isGreaterThan(3000);
    }

    @BeforeEach
    void aQueueOfItsOwn() {
        queue = "lbt-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        settings = Map.of("LICENSE_BATCH_REMOTE_QUEUE", queue,
                "LICENSE_BATCH_REMOTE_POLL_INTERVAL", "200ms",
                "LICENSE_BATCH_REMOTE_NO_WORKER_GRACE", "8s",
                "LICENSE_BATCH_CHUNK_SIZE", "20",
                "LICENSE_BATCH_MIN_PARTITION_ITEMS", "200");
    }

    @AfterEach
    void endProcessesAndQueue() {
        started.stream().filter(CliProcess::isAlive).forEach(CliProcess::kill);
        withBroker(admin -> admin.deleteQueue(queue));
    }

    @Test
    void aWorkerKilledMidPartitionLosesNothingTheOtherFinishesItsPartitionAndTheRunCompletesByItself() {
        String db = busyCopy("remote_kill");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess first = worker(db);
        CliProcess second = worker(db);
        awaitConsumers(4);
        CliProcess manager = manager(db);
        whileAlive(manager).until(() -> running(jdbc, first) > 0 && outcomes(jdbc) > selected / 5);
        List<Long> lost = runningStepExecutions(jdbc, first);
        first.kill();

        assertThat(manager.waitFor(RUN)).as(manager.output() + second.output()).isZero();
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
        for (long stepExecution : lost) {
            assertThat(jdbc.queryForObject("select status from batch_step_execution where step_execution_id = ?",
                    String.class, stepExecution)).isEqualTo("COMPLETED");
        }
        // (one of them may have completed in the moment between looking and killing)
        assertThat(lost).as("the killed worker's partitions, finished by the other one").anyMatch(stepExecution ->
                jdbc.queryForObject("select worker from partition_worker where step_execution_id = ?", String.class,
                        stepExecution).endsWith(":" + second.pid()));
        assertThat(second.output()).contains("took applyPartition:range");
        assertThat(count(jdbc, "select count(distinct step_name) from batch_step_execution"
                + " where step_name like 'applyPartition:%'") % 4)
                .as("the ranges are whole rounds of the 4 worker threads the queue had when the plan was made")
                .isZero();
        assertThat(statusOf(db, lastExecution(jdbc))).contains("partitions on remote workers")
                .contains(":" + second.pid()).contains("COMPLETED");
    }

    @Test
    void withNoWorkerLeftTheRunFailsCleanlyAndRestartWithAWorkerBackSendsOnlyTheUnfinishedPartitions() {
        String db = busyCopy("remote_gone");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess only = worker(db);
        awaitConsumers(2);
        CliProcess manager = manager(db);
        whileAlive(manager).until(() -> outcomes(jdbc) > selected / 5);
        long running = lastExecution(jdbc);
        only.kill();
        // Until the manager gives up on them, status says the killed worker's partitions lost it.
        whileAlive(manager).until(() -> statusOf(db, running).contains(":" + only.pid()
                + " (gone: the partition waits in the queue for another worker)"));

        assertThat(manager.waitFor(Duration.ofSeconds(60))).as(manager.output()).isEqualTo(1);
        long execution = lastExecution(jdbc);
        assertThat(status(jdbc, execution)).isEqualTo("FAILED");
        assertThat(manager.output()).contains("no worker").contains("license-batch restart " + execution);
        assertThat(count(jdbc, "select count(*) from batch_step_execution where job_execution_id = ?"
                + " and status in ('STARTING', 'STARTED')", execution)).as("nothing left running").isZero();
        long finishedBefore = count(jdbc, "select count(*) from batch_step_execution where job_execution_id = ?"
                + " and step_name like 'applyPartition:%' and status = 'COMPLETED'", execution);
        long ranges = count(jdbc, "select count(*) from batch_step_execution where job_execution_id = ?"
                + " and step_name like 'applyPartition:%'", execution);

        worker(db);
        CliProcess restart = restart(db, execution);
        assertThat(restart.waitFor(RUN)).as(restart.output()).isZero();
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
        long resent = count(jdbc, "select count(*) from batch_step_execution where job_execution_id = ?"
                + " and step_name like 'applyPartition:%'", lastExecution(jdbc));
        assertThat(resent).as("only the partitions that had not completed").isEqualTo(ranges - finishedBefore);
    }

    /**
     * A worker started on another database than the job's (a typo in its URL, a staging worker on production's
     * queue) finds no such step execution there, or another run's: it must not take nor skip the requests, but
     * give them back and end, so that the run fails cleanly instead of waiting for ever.
     */
    @Test
    void aWorkerOnAnotherDatabaseGivesTheRequestsBackAndEndsAndTheRunFailsCleanlyInsteadOfWaitingForEver() {
        String db = TestDatabases.copyOf(platform, "remote_job_db");
        String elsewhere = TestDatabases.copyOf(platform, "remote_other_db");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess misdirected = worker(elsewhere);
        awaitConsumers(2);
        CliProcess manager = manager(db);

        assertThat(misdirected.waitFor(Duration.ofSeconds(60))).as(misdirected.output()).isEqualTo(1);
        assertThat(misdirected.output()).containsPattern("works on database \\w*remote_other_db\\w* \\(server \\d+\\),"
                + " but partition request \\(step execution \\d+\\) comes from a job on database \\w*remote_job_db")
                .contains("goes back to the queue").doesNotContain("(skipped)");
        assertThat(manager.waitFor(Duration.ofSeconds(60))).as(manager.output()).isEqualTo(1);
        long execution = lastExecution(jdbc);
        assertThat(status(jdbc, execution)).isEqualTo("FAILED");
        assertThat(manager.output()).contains("no worker")
                .contains("Next: license-batch restart " + execution + " --workers remote")
                .as("one line of cause, not Spring Batch's stack trace").doesNotContain("JobExecutionException")
                .doesNotContain("\tat org.springframework");
        assertThat(count(jdbc(elsewhere), "select count(*) from batch_job_execution")).as("nothing ran there").isZero();

        worker(db);
        CliProcess restart = restart(db, execution);
        assertThat(restart.waitFor(RUN)).as(restart.output()).isZero();
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
    }

    @Test
    void stopFromAnotherShellStopsTheWorkersPartitionsAndSigtermToAWorkerStopsItsOwnResumably() {
        String db = busyCopy("remote_stop");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess first = worker(db);
        CliProcess second = worker(db);
        awaitConsumers(4);
        CliProcess manager = manager(db);
        whileAlive(manager).until(() -> outcomes(jdbc) > selected / 10);
        long execution = lastExecution(jdbc);
        assertThat(Cli.execute("stop", String.valueOf(execution), "--db", db)).isZero();
        assertThat(manager.waitFor(RUN)).as(manager.output()).isEqualTo(1);
        assertThat(status(jdbc, execution)).isEqualTo("STOPPED");
        assertThat(partitionsRunning(jdbc, execution)).as("every worker stopped its partitions").isZero();
        // Resumed as it ran, with the workers: a plain restart would run the partitions in its own threads.
        assertThat(manager.output()).contains("Resume it: license-batch restart " + execution + " --workers remote");
        assertThat(statusOf(db, execution)).contains("next: license-batch restart " + execution + " --workers remote");

        CliProcess restart = restart(db, execution);
        whileAlive(restart).until(() -> lastExecution(jdbc) > execution && running(jdbc, first) > 0);
        long restarted = lastExecution(jdbc);
        List<Long> inHand = runningStepExecutions(jdbc, first);
        first.terminate();
        assertThat(first.waitFor(Duration.ofSeconds(20))).as("a worker stopped by SIGTERM exits 0: " + first.output())
                .isZero();
        assertThat(first.output()).contains("stopping").contains("worker " + host() + ":" + first.pid() + " stopped");
        // (one may have completed in the moment between looking and the signal)
        List<String> ended = inHand.stream().map(stepExecution -> jdbc.queryForObject(
                "select status from batch_step_execution where step_execution_id = ?", String.class, stepExecution))
                .toList();
        assertThat(ended).as("its partitions end STOPPED").contains("STOPPED").isSubsetOf("STOPPED", "COMPLETED");
        assertThat(restart.waitFor(RUN)).as("the other worker finishes the rest; the run ends STOPPED: "
                + restart.output()).isEqualTo(1);
        assertThat(status(jdbc, restarted)).isEqualTo("STOPPED");

        CliProcess last = restart(db, restarted);
        assertThat(last.waitFor(RUN)).as(last.output()).isZero();
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
    }

    @Test
    void sigtermToAManagerStopsTheWorkersPartitionsAndAManagerKilledMidRunIsRestartedWithoutDoublingThem() {
        String db = busyCopy("remote_manager");
        JdbcTemplate jdbc = jdbc(db);
        worker(db);
        worker(db);
        awaitConsumers(4);
        CliProcess manager = manager(db);
        whileAlive(manager).until(() -> outcomes(jdbc) > selected / 10);
        manager.terminate();
        assertThat(manager.waitFor(Duration.ofSeconds(30))).as(manager.output()).isEqualTo(1);
        long execution = lastExecution(jdbc);
        assertThat(manager.output()).contains("Execution " + execution + " STOPPED");
        assertThat(status(jdbc, execution)).isEqualTo("STOPPED");
        assertThat(partitionsRunning(jdbc, execution)).as("the workers stopped its partitions").isZero();
        long stoppedAt = outcomes(jdbc);
        assertThat(stoppedAt).isLessThan(selected);

        CliProcess restart = restart(db, execution);
        whileAlive(restart).until(() -> lastExecution(jdbc) > execution && outcomes(jdbc) > stoppedAt + 200);
        restart.kill();
        long killed = lastExecution(jdbc);
        // (the workers' chunks slower from here on: they still run when the next restart looks)
        Faults.slowerStatements(jdbc, 400);
        List<Long> onWorkers = jdbc.queryForList("select step_execution_id from batch_step_execution"
                + " where job_execution_id = ? and step_name like 'applyPartition:%' and status = 'STARTED'", Long.class,
                killed);
        assertThat(onWorkers).as("the workers run the killed manager's partitions").isNotEmpty();

        // The workers still run the killed manager's partitions: the next restart leaves those to them (marking them
        // FAILED under a live worker would fail its next commit and leave them UNKNOWN), waits for them to end, and
        // resumes the rest from the outcomes.
        CliProcess last = restart(db, killed);
        assertThat(last.waitFor(RUN)).as(last.output()).isZero();
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
        assertThat(count(jdbc, "select count(*) from batch_step_execution where status in ('STARTING', 'STARTED')"))
                .as("nothing is left running").isZero();
        assertThat(count(jdbc, "select count(*) from batch_step_execution where status = 'UNKNOWN'"))
                .as("no partition was taken from under its worker").isZero();
        assertThat(onWorkers).as("each ended by its worker, not recovered as FAILED under it").allSatisfy(step ->
                assertThat(jdbc.queryForObject("select status from batch_step_execution where step_execution_id = ?",
                        String.class, step)).isEqualTo("COMPLETED"));
        assertThat(last.output()).contains("partition(s) of this run that workers still run");
    }

    @Test
    void requestsLostFromTheQueueAreSentAgainAndTheRunStillCompletes() {
        String db = busyCopy("remote_lost");
        JdbcTemplate jdbc = jdbc(db);
        CliProcess only = worker(db);
        awaitConsumers(2);
        CliProcess manager = manager(db);
        whileAlive(manager).until(() -> running(jdbc, only) > 0 && withBroker(admin -> {
                    QueueInformation info = admin.getQueueInfo(queue);
                    return info != null && info.getMessageCount() > 2;
                }));
        int lost = withBroker(admin -> admin.purgeQueue(queue));
        assertThat(lost).as("requests waiting in the queue, thrown away").isPositive();

        assertThat(manager.waitFor(RUN)).as(manager.output()).isZero();
        assertThat(manager.output()).contains("sending it again");
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
    }

    /**
     * A partition whose end the worker could not record (here a trigger refuses it, as a lost connection or a
     * database that came back from a crash without the last commits would): the repository still says it runs.
     * The worker sends its request back to the queue, and once the end can be recorded the run completes.
     */
    @Test
    void aPartitionWhoseEndCouldNotBeRecordedGoesBackToTheQueueAndTheRunStillCompletes() {
        String db = busyCopy("remote_end_lost");
        JdbcTemplate jdbc = jdbc(db);
        jdbc.execute("create table refuse_end (step_name text)");
        jdbc.execute("insert into refuse_end values ('applyPartition:range1')");
        jdbc.execute("""
                create function refuse_end() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from refuse_end where step_name = new.step_name) then
                        raise exception 'the end of % cannot be recorded right now', new.step_name;
                    end if;
                    return new;
                end $$
                """);
        jdbc.execute("create trigger refuse_end before update on batch_step_execution for each row"
                + " when (old.status = 'STARTED' and new.status <> 'STARTED') execute function refuse_end()");
        CliProcess only = worker(db);
        awaitConsumers(2);
        CliProcess manager = manager(db);
        whileAlive(manager).until(() -> only.output().contains("but the job repository still says STARTED"));
        jdbc.update("delete from refuse_end");

        assertThat(manager.waitFor(RUN)).as(manager.output() + only.output()).isZero();
        assertThat(only.output()).contains("applyPartition:range1").contains("goes back to the queue");
        assertThat(AccountState.platform(jdbc)).isEqualTo(undisturbed);
        assertThat(count(jdbc, "select count(*) from batch_step_execution where status in ('STARTING', 'STARTED')"))
                .as("nothing is left running").isZero();
    }

    @Test
    void remoteWorkersAreRefusedOnH2AndWithABrokerOutOfReachBeforeAnythingStarts() {
        String h2 = TestDatabases.h2Url("remote_h2");
        assertThat(Cli.execute("generate", "--db", h2, "--org", "Embedded", "--learners", "50")).isZero();
        assertThat(Cli.execute(with(MIGRATE, "--db", h2, "--workers", "remote"))).as("H2 stays local").isEqualTo(2);

        String db = TestDatabases.copyOf(platform, "remote_no_broker");
        System.setProperty("spring.rabbitmq.port", "1");
        try {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine commandLine = Cli.commandLine();
            commandLine.setErr(new java.io.PrintWriter(err));
            assertThat(commandLine.execute(with(MIGRATE, "--db", db, "--workers", "remote"))).isEqualTo(1);
            assertThat(err.toString()).contains("cannot reach RabbitMQ at").contains("Nothing changed")
                    .doesNotContain("Is the database running");
        } finally {
            System.clearProperty("spring.rabbitmq.port");
        }
        assertThat(count(jdbc(db), "select count(*) from batch_job_execution")).as("nothing started").isZero();

        System.setProperty("spring.rabbitmq.password", "not-the-password");
        try {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine commandLine = Cli.commandLine();
            commandLine.setErr(new java.io.PrintWriter(err));
            assertThat(commandLine.execute("worker", "--db", db)).isEqualTo(1);
            assertThat(err.toString()).as("reached, and refused: not 'cannot reach'").contains("refused the login for"
                    + " the worker").contains("SPRING_RABBITMQ_PASSWORD").doesNotContain("cannot reach")
                    .doesNotContain("not-the-password");
        } finally {
            System.clearProperty("spring.rabbitmq.password");
        }

        int clients = jdbc(db).queryForObject("select current_setting('max_connections')::int"
                + " - current_setting('superuser_reserved_connections')::int", Integer.class);
        int tooMany = (clients - 4) / 2 + 1;
        if (tooMany <= 64) { // (a server that allows more than 64 workers' threads has no such refusal to test)
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine commandLine = Cli.commandLine();
            commandLine.setErr(new java.io.PrintWriter(err));
            assertThat(commandLine.execute("worker", "--concurrency", String.valueOf(tooMany), "--db", db))
                    .as("a worker the server could never give its connections").isEqualTo(2);
            assertThat(err.toString()).contains("--concurrency " + tooMany + " needs " + (2 * tooMany + 4)
                    + " database connections").contains("lower --concurrency, or raise max_connections");
        }

        // The setting from any source (here a system property, as -D gives it) brings the broker's beans back.
        System.setProperty("license-batch.workers", "remote");
        try {
            assertThat(Cli.execute("status", "--db", db)).isZero();
        } finally {
            System.clearProperty("license-batch.workers");
        }
    }

    private static String statusOf(String db, long execution) {
        java.io.StringWriter text = new java.io.StringWriter();
        picocli.CommandLine commandLine = Cli.commandLine();
        commandLine.setOut(new java.io.PrintWriter(text));
        assertThat(commandLine.execute("status", String.valueOf(execution), "--db", db)).isZero();
        return text.toString();
    }

    /** A copy of the platform on which every outcome write takes 60 ms more: a run lasts long enough to act on. */
    private String busyCopy(String purpose) {
        String db = TestDatabases.copyOf(platform, purpose);
        Faults.slowDown(jdbc(db), "license_change_outcome", 60);
        return db;
    }

    private CliProcess worker(String db) {
        CliProcess worker = CliProcess.start(workDir, settings, "worker", "--concurrency", "2", "--db", db);
        started.add(worker);
        return worker;
    }

    private CliProcess manager(String db) {
        CliProcess manager = CliProcess.start(workDir, settings, with(MIGRATE, "--db", db, "--workers", "remote"));
        started.add(manager);
        return manager;
    }

    private CliProcess restart(String db, long execution) {
        CliProcess restart = CliProcess.start(workDir, settings, "restart", String.valueOf(execution), "--db", db,
                "--workers", "remote");
        started.add(restart);
        return restart;
    }

    private void awaitConsumers(int consumers) {
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> withBroker(admin -> {
                    QueueInformation info = admin.getQueueInfo(queue);
                    return info != null && info.getConsumerCount() >= consumers;
                }));
    }

    private static <T> T withBroker(java.util.function.Function<RabbitAdmin, T> action) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            return action.apply(new RabbitAdmin(factory));
        } finally {
            factory.destroy();
        }
    }

    private static long outcomes(JdbcTemplate jdbc) {
        return count(jdbc, "select count(*) from license_change_outcome");
    }

    /** Partitions the worker holds right now (it took them, and they are still running). */
    private static long running(JdbcTemplate jdbc, CliProcess worker) {
        return runningStepExecutions(jdbc, worker).size();
    }

    private static List<Long> runningStepExecutions(JdbcTemplate jdbc, CliProcess worker) {
        return jdbc.queryForList("""
                select w.step_execution_id from partition_worker w
                  join batch_step_execution s on s.step_execution_id = w.step_execution_id
                 where w.worker like ? and s.status in ('STARTING', 'STARTED')
                """, Long.class, "%:" + worker.pid());
    }

    private static long partitionsRunning(JdbcTemplate jdbc, long execution) {
        return count(jdbc, "select count(*) from batch_step_execution where job_execution_id = ?"
                + " and step_name like 'applyPartition:%' and status in ('STARTING', 'STARTED', 'STOPPING')", execution);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
