package io.licensebatch.job.undo;

import io.licensebatch.support.AccountState;
import io.licensebatch.support.Faults;
import io.licensebatch.support.Invariants;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** retry-failed and undo on PostgreSQL: what they select, what they change, and what they leave alone. */
@TestPropertySource(properties = {"license-batch.chunk-size=5", "license-batch.transient-retries=0"})
class RetryAndUndoTest extends PostgresIntegrationTest {

    @AfterEach
    void removeFaults() {
        Faults.clear(jdbc);
    }

    @Test
    void retryFailedPicksUpTheLearnersThatFoundNoSeatOnceSeatsWereAdded() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 2);
        List<Long> learners = learnersOn(acme, PRO, 5);
        long deactivated = acme.learner(aLearner().status(io.licensebatch.domain.learner.LearnerStatus.DEACTIVATED)
                .onLicense(PRO));
        JobExecution first = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));
        assertThat(jobs.outcomesByLearner(first)).containsEntry(learners.get(0), "REASSIGNED")
                .containsEntry(learners.get(1), "REASSIGNED").containsEntry(learners.get(2), "REJECTED NO_SEATS")
                .containsEntry(deactivated, "REJECTED LEARNER_DEACTIVATED");

        jdbc.update("update license_pool set seats_total = seats_total + 3 where org_id = ? and license_type = ?",
                acme.id, HUB);
        JobExecution retry = jobs.retryFailed(first);

        assertThat(retry.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(retry.getJobInstanceId()).isNotEqualTo(first.getJobInstanceId());
        assertThat(jobs.outcomesByLearner(retry)).containsOnly(entry(learners.get(2), "REASSIGNED"),
                entry(learners.get(3), "REASSIGNED"), entry(learners.get(4), "REASSIGNED"));
        assertThat(jdbc.queryForList("select distinct source_execution_id from license_change_outcome"
                + " where job_instance_id = ?", Long.class, retry.getJobInstanceId())).containsExactly(first.getId());
        assertThat(learners).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(HUB));
        assertThat(jobs.currentType(deactivated)).as("a deactivated learner is not retryable").isEqualTo(PRO);
        Invariants.assertHold(invariants);
    }

    @Test
    void undoPutsBackAReassignmentAndKeepsTheUsageRecordedInBetween() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10).pool(ESSENTIALS, 10);
        List<Long> pros = learnersOn(acme, PRO, 3);
        long unlicensed = acme.learner(aLearner().department("Move"));
        for (long learner : pros) {
            jdbc.update("update learner set department = 'Move' where id = ?", learner);
        }
        AccountState before = AccountState.of(jdbc, acme.id);
        JobExecution run = jobs.reassign(acme, HUB, Select.where().department("Move"));
        assertThat(jobs.outcomesByLearner(run)).containsEntry(unlicensed, "REASSIGNED");
        long hubAssignment = jdbc.queryForObject("select id from license_assignment where learner_id = ?"
                + " and ended_at is null", Long.class, pros.get(0));
        jdbc.update("""
                insert into learning_activity (learner_id, assignment_id, content_id, seconds_viewed, occurred_at)
                values (?, ?, 'course:on-hub', 600, localtimestamp)
                """, pros.get(0), hubAssignment);

        JobExecution undo = jobs.undo(run);

        assertThat(jobs.outcomesByLearner(undo)).containsOnly(entry(pros.get(0), "REASSIGNED"),
                entry(pros.get(1), "REASSIGNED"), entry(pros.get(2), "REASSIGNED"), entry(unlicensed, "REVOKED"));
        assertThat(pros).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(PRO));
        assertThat(jobs.currentType(unlicensed)).isNull();
        assertThat(AccountState.of(jdbc, acme.id).pools()).isEqualTo(before.pools());
        assertThat(jdbc.queryForObject("""
                select a.license_type from learning_activity u join license_assignment a on a.id = u.assignment_id
                 where u.content_id = 'course:on-hub'
                """, String.class)).as("usage in between stays where it happened").isEqualTo(HUB);
        assertThat(AccountState.usage(jdbc, acme.id)).containsAll(before.usage());
        Invariants.assertHold(invariants);
    }

    @Test
    void undoPutsBackARevokeAndAnUndoCanBeUndone() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10);
        long pro = acme.learner(aLearner().onLicense(PRO));
        long hub = acme.learner(aLearner().onLicense(HUB));
        AccountState before = AccountState.of(jdbc, acme.id);
        JobExecution revoke = jobs.revoke(acme, Select.learners(pro, hub));
        AccountState revoked = AccountState.of(jdbc, acme.id);

        JobExecution undo = jobs.undo(revoke);
        assertThat(jobs.outcomesByLearner(undo)).containsOnly(entry(pro, "REASSIGNED"), entry(hub, "REASSIGNED"));
        assertThat(jobs.currentType(pro)).isEqualTo(PRO);
        assertThat(jobs.currentType(hub)).isEqualTo(HUB);
        assertThat(AccountState.of(jdbc, acme.id).pools()).isEqualTo(before.pools());

        JobExecution redo = jobs.undo(undo);
        assertThat(jobs.outcomesByLearner(redo)).containsOnly(entry(pro, "REVOKED"), entry(hub, "REVOKED"));
        assertThat(AccountState.of(jdbc, acme.id).pools()).isEqualTo(revoked.pools());
        Invariants.assertHold(invariants);
    }

    @Test
    void undoLeavesALearnerWhoWasChangedAgainInBetween() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10).pool(ESSENTIALS, 10);
        long moved = acme.learner(aLearner().onLicense(PRO));
        long changedAgain = acme.learner(aLearner().onLicense(PRO));
        long revokedSince = acme.learner(aLearner().onLicense(PRO));
        JobExecution run = jobs.reassign(acme, HUB, Select.learners(moved, changedAgain, revokedSince));
        jobs.reassign(acme, ESSENTIALS, Select.learners(changedAgain));
        jobs.revoke(acme, Select.learners(revokedSince));

        JobExecution undo = jobs.undo(run);

        assertThat(jobs.outcomesByLearner(undo)).containsOnly(entry(moved, "REASSIGNED"),
                entry(changedAgain, "REJECTED CHANGED_SINCE"), entry(revokedSince, "REJECTED CHANGED_SINCE"));
        assertThat(jobs.currentType(moved)).isEqualTo(PRO);
        assertThat(jobs.currentType(changedAgain)).isEqualTo(ESSENTIALS);
        assertThat(jobs.currentType(revokedSince)).isNull();
        Invariants.assertHold(invariants);
    }

    @Test
    void undoOfAPartlyFailedRunPutsBackOnlyWhatItCommittedAndAFailedUndoIsRestarted() {
        Account acme = accounts.account("Acme").pool(PRO, 50).pool(HUB, 50);
        List<Long> learners = learnersOn(acme, PRO, 17);
        Faults.cancelOutcomeWritesAfter(jdbc, 10);
        JobExecution partial = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));
        assertThat(partial.getStatus()).isEqualTo(BatchStatus.FAILED);
        removeFaults();
        assertThat(learners.stream().filter(learner -> HUB.equals(jobs.currentType(learner)))).hasSize(10);

        Faults.cancelOutcomeWritesAfter(jdbc, 5);
        JobExecution undo = jobs.undo(partial);
        assertThat(undo.getStatus()).isEqualTo(BatchStatus.FAILED);
        removeFaults();
        JobExecution undone = jobs.restart(undo);

        assertThat(undone.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<Long, String> outcomes = jobs.outcomesByLearner(undone);
        assertThat(outcomes).hasSize(10).allSatisfy((learner, outcome) -> assertThat(outcome).isEqualTo("REASSIGNED"));
        assertThat(learners).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(PRO));
        Invariants.assertHold(invariants);
    }

    private List<Long> learnersOn(Account account, String type, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(account.learner(aLearner().onLicense(type)));
        }
        return ids;
    }

}
