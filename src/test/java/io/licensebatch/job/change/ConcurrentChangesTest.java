package io.licensebatch.job.change;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.support.Invariants;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.AfterEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Changes that race: an admin changing a learner between the selection and the write, and two jobs at once
 * on overlapping learners. Small chunks and partitions make the jobs interleave.
 */
@TestPropertySource(properties = {"license-batch.chunk-size=7", "license-batch.partitions=2",
        "license-batch.min-partition-items=20"})
class ConcurrentChangesTest extends PostgresIntegrationTest {

    @Autowired
    JobRunner runner;

    @Autowired
    DataSource dataSource;

    @AfterEach
    void dropAdminTrigger() {
        jdbc.execute("drop trigger if exists admin_acts_after_selection on job_seat_pool");
        jdbc.execute("drop function if exists admin_acts_after_selection()");
    }

    @Test
    void aLearnerChangedAfterTheSelectionIsRejectedNotChangedTwice() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10);
        long revokedByAdmin = acme.learner(aLearner().onLicense(PRO));
        long licensedByAdmin = acme.learner(aLearner());
        long untouched = acme.learner(aLearner().onLicense(PRO));
        // The admin acts right after the selection is taken (the pool snapshot ends the selection step).
        jdbc.execute("""
                create function admin_acts_after_selection() returns trigger language plpgsql as $$
                begin
                    update license_assignment set ended_at = localtimestamp, end_reason = 'REVOKED', ended_by = 'admin'
                     where learner_id = %d and ended_at is null;
                    update license_pool set seats_used = seats_used - 1 where org_id = %d and license_type = '%s';
                    insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
                    values (%d, %d, '%s', localtimestamp, 'admin');
                    update license_pool set seats_used = seats_used + 1 where org_id = %d and license_type = '%s';
                    return null;
                end $$
                """.formatted(revokedByAdmin, acme.id, PRO, licensedByAdmin, acme.id, PRO, acme.id, PRO));
        jdbc.execute("create trigger admin_acts_after_selection after insert on job_seat_pool"
                + " for each statement execute function admin_acts_after_selection()");

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO, "NONE"));

        assertThat(jobs.outcomesByLearner(execution)).containsOnly(
                entry(revokedByAdmin, "REJECTED CHANGED_CONCURRENTLY"),
                entry(licensedByAdmin, "REJECTED CHANGED_CONCURRENTLY"), entry(untouched, "REASSIGNED"));
        assertThat(jobs.currentType(revokedByAdmin)).isNull();
        assertThat(jobs.currentType(licensedByAdmin)).isEqualTo(PRO);
        Invariants.assertHold(invariants);
    }

    @Test
    void twoJobsOnOverlappingLearnersKeepEveryInvariant() throws Exception {
        Account acme = accounts.account("Acme").pool(PRO, 400).pool(HUB, 400).pool(ESSENTIALS, 400);
        List<Long> onlyA = learners(acme, 60, "North");
        List<Long> both = learners(acme, 120, "Middle");
        List<Long> onlyB = learners(acme, 60, "South");

        List<JobExecution> executions = together(
                () -> jobs.reassign(acme, HUB, Select.where().licenseType(PRO).department("North", "Middle")),
                () -> jobs.revoke(acme, Select.where().licenseType(PRO).department("Middle", "South")));

        JobExecution reassign = executions.get(0);
        JobExecution revoke = executions.get(1);
        assertThat(executions).extracting(JobExecution::getStatus).containsOnly(BatchStatus.COMPLETED);
        Map<Long, String> reassigned = jobs.outcomesByLearner(reassign);
        Map<Long, String> revoked = jobs.outcomesByLearner(revoke);
        for (JobExecution execution : executions) {
            assertThat(jobs.outcomesByLearner(execution)).as("one outcome per selected learner")
                    .hasSize((int) count("select count(*) from selection_item where job_instance_id = ?",
                            execution.getJobInstanceId()));
        }
        assertThat(onlyA).allSatisfy(learner -> assertThat(reassigned.get(learner)).isEqualTo("REASSIGNED"));
        assertThat(onlyB).allSatisfy(learner -> assertThat(revoked.get(learner)).isEqualTo("REVOKED"));
        for (long learner : both) {
            // A job that selected the learner after the other job had changed them no longer sees them on PRO.
            List<String> outcomes = java.util.stream.Stream.of(reassigned.get(learner), revoked.get(learner))
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(outcomes).as("learner %d: %s", learner, outcomes)
                    .containsAnyOf("REASSIGNED", "REVOKED")
                    .allSatisfy(outcome -> assertThat(outcome).isIn("REASSIGNED", "REVOKED",
                            "REJECTED CHANGED_CONCURRENTLY"));
            String expected = "REVOKED".equals(revoked.get(learner)) ? null : HUB;
            assertThat(jobs.currentType(learner)).as("learner %d: %s", learner, outcomes).isEqualTo(expected);
        }
        Invariants.assertHold(invariants);
    }

    @Test
    void twoJobsCompetingForTheLastSeatsNeverOverfillThePool() throws Exception {
        Account acme = accounts.account("Acme").pool(PRO, 200).pool(HUB, 50).pool(ESSENTIALS, 200);
        learners(acme, 80, "North");
        for (int i = 0; i < 80; i++) {
            acme.learner(aLearner().onLicense(ESSENTIALS).department("South"));
        }

        List<JobExecution> executions = together(
                () -> jobs.reassign(acme, HUB, Select.where().department("North")),
                () -> jobs.reassign(acme, HUB, Select.where().department("South")));

        assertThat(executions).extracting(JobExecution::getStatus).containsOnly(BatchStatus.COMPLETED);
        long moved = executions.stream().mapToLong(execution -> count("select count(*) from license_change_outcome"
                + " where job_instance_id = ? and status = 'REASSIGNED'", execution.getJobInstanceId())).sum();
        long refused = executions.stream().mapToLong(execution -> count("select count(*) from license_change_outcome"
                + " where job_instance_id = ? and reason = 'NO_SEATS'", execution.getJobInstanceId())).sum();
        assertThat(moved).isEqualTo(50);
        assertThat(refused).isEqualTo(110);
        assertThat(count("select seats_used from license_pool where org_id = ? and license_type = ?", acme.id, HUB))
                .isEqualTo(50);
        Invariants.assertHold(invariants);
    }

    @Test
    void aLicenseChangedWhileTheWriterWaitsIsRejectedAndItsSeatIsNotHandedOut(@TempDir Path files) throws Exception {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10).pool(ESSENTIALS, 2);
        long fay = acme.learner(aLearner().email("fay@acme.example").onLicense(ESSENTIALS));
        acme.learner(aLearner().email("ida@acme.example").onLicense(ESSENTIALS));
        long bo = acme.learner(aLearner().email("bo@acme.example").onLicense(PRO));
        long jo = acme.learner(aLearner().email("jo@acme.example").onLicense(PRO));
        Path upload = files.resolve("moves.csv");
        // fay leaves the full ESSENTIALS pool (a seat bo would get), jo wants one too: the pool had no seat free
        // when the selection was taken, so the run's own freed seats are all it can give out
        Files.writeString(upload, "email,license_type\nfay@acme.example,LEARNING_HUB\nbo@acme.example,"
                + "LEARNING_ESSENTIALS\njo@acme.example,LEARNING_ESSENTIALS\n");

        try (Connection admin = dataSource.getConnection()) {
            // An admin revokes fay's license in a transaction that stays open while the job reads her page.
            admin.setAutoCommit(false);
            try (Statement statement = admin.createStatement()) {
                statement.executeUpdate("update license_assignment set ended_at = localtimestamp, end_reason = 'REVOKED',"
                        + " ended_by = 'admin' where learner_id = " + fay + " and ended_at is null");
                statement.executeUpdate("update license_pool set seats_used = seats_used - 1 where org_id = " + acme.id
                        + " and license_type = '" + ESSENTIALS + "'");
            }
            CompletableFuture<JobExecution> job = CompletableFuture.supplyAsync(() -> jobs.upload(acme.id,
                    Action.REASSIGN, null, upload, false));
            // The job's writer waits for the admin's row lock (on fay's assignment, or on the pool).
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("""
                    select count(*) from pg_stat_activity
                     where wait_event_type = 'Lock' and datname = current_database()
                       and (query like '%license_pool%for update%' or query like '%update license_assignment%')
                    """, Long.class) > 0);
            admin.commit();
            JobExecution execution = job.get();

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            // fay's move did not happen, so it freed no seat for bo; the seat the admin freed is not the run's
            // to give (retry-failed gives it to bo): the same outcome whatever the timing of the two
            assertThat(jobs.outcomesByLearner(execution)).containsOnly(entry(fay, "REJECTED CHANGED_CONCURRENTLY"),
                    entry(bo, "REJECTED NO_SEATS"), entry(jo, "REJECTED NO_SEATS"));
        }
        assertThat(jobs.currentType(fay)).isNull();
        assertThat(jobs.currentType(bo)).isEqualTo(PRO);
        assertThat(count("select seats_used from license_pool where org_id = ? and license_type = ?", acme.id,
                ESSENTIALS)).isEqualTo(1);
        Invariants.assertHold(invariants);
    }

    private List<Long> learners(Account account, int count, String department) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(account.learner(aLearner().onLicense(PRO).department(department)));
        }
        return ids;
    }

    /** Starts both jobs at the same moment, each in its own thread, and waits for both. */
    @SafeVarargs
    private List<JobExecution> together(Supplier<JobExecution>... runs) throws Exception {
        CyclicBarrier start = new CyclicBarrier(runs.length);
        List<CompletableFuture<JobExecution>> futures = new ArrayList<>();
        for (Supplier<JobExecution> run : runs) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return run.get();
            }));
        }
        List<JobExecution> executions = new ArrayList<>();
        for (CompletableFuture<JobExecution> future : futures) {
            executions.add(future.get());
        }
        return executions;
    }

    private long count(String sql, Object... parameters) {
        return jdbc.queryForObject(sql, Long.class, parameters);
    }
}
