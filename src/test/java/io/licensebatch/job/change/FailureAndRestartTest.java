package io.licensebatch.job.change;

import io.licensebatch.job.common.JobRunner;
import io.licensebatch.support.Faults;
import io.licensebatch.support.Invariants;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures in the middle of a run, made real by the database itself (a trigger that fails writes), and the
 * restart that follows: committed chunks stay done, nothing is repeated, every learner ends with one outcome.
 */
@TestPropertySource(properties = {"license-batch.chunk-size=10", "license-batch.transient-retries=1",
        "license-batch.retry-backoff=10ms"})
class FailureAndRestartTest extends PostgresIntegrationTest {

    @Autowired
    JobRunner runner;

    @AfterEach
    void removeFaults() {
        Faults.clear(jdbc);
        jdbc.execute("drop trigger if exists fail_one_learner on license_assignment");
        jdbc.execute("drop function if exists fail_learner()");
    }

    @Test
    void aChunkThatKeepsFailingFailsTheJobAndRestartResumesAfterTheLastCommittedChunk() {
        Account acme = accounts.account("Acme").pool(PRO, 100).pool(HUB, 100);
        List<Long> learners = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            learners.add(acme.learner(aLearner().onLicense(PRO)));
        }
        // Once 20 outcomes of the job are in, every write is cancelled: two chunks commit, the third fails.
        Faults.cancelOutcomeWritesAfter(jdbc, 20);

        JobExecution failed = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(outcomes(failed)).isEqualTo(20);
        assertThat(count("select count(*) from license_assignment where org_id = ? and license_type = ?"
                + " and ended_at is null", acme.id, HUB)).as("two chunks committed, the third rolled back")
                .isEqualTo(20);
        Invariants.assertHold(invariants);

        // The selection step's commit happened, but say the process died before Spring Batch recorded the
        // step as complete: a restart runs it again, and it must not select a second time.
        jdbc.update("update batch_step_execution set status = 'FAILED' where job_execution_id = ?"
                + " and step_name = 'selectLearners'", failed.getId());
        removeFaults();

        JobExecution restarted = runner.restart(failed.getId());

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
        assertThat(outcomes(restarted)).isEqualTo(45);
        assertThat(count("select count(*) from selection_item where job_instance_id = ?", failed.getJobInstanceId()))
                .isEqualTo(45);
        assertThat(count("select count(*) from license_change_outcome where job_execution_id = ?", restarted.getId()))
                .as("the restart did only what was left").isEqualTo(25);
        assertThat(learners).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(HUB));
        Invariants.assertHold(invariants);
    }

    /**
     * Issue 12: a restart killed between Spring Batch's creation of a partition's step execution and the write of
     * its execution context left the context empty, and every later restart copied it. A partition's range comes
     * from the plan, by name: emptied contexts (and a stale grid size) change nothing.
     */
    @Test
    void aPartitionWhoseExecutionContextIsEmptyIsStillRestartedOnItsOwnRange() {
        Account acme = accounts.account("Acme").pool(PRO, 100).pool(HUB, 100);
        for (int i = 0; i < 45; i++) {
            acme.learner(aLearner().onLicense(PRO));
        }
        Faults.cancelOutcomeWritesAfter(jdbc, 20);
        JobExecution failed = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        removeFaults();
        int emptied = jdbc.update("""
                update batch_step_execution_context set short_context = ?, serialized_context = null
                 where step_execution_id in (select step_execution_id from batch_step_execution
                                              where job_execution_id = ? and step_name like 'applyPartition:%')
                """, emptyContext(), failed.getId());
        assertThat(emptied).isPositive();

        JobExecution restarted = runner.restart(failed.getId());

        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(outcomes(restarted)).isEqualTo(45);
        assertThat(count("select count(*) from license_change_outcome where job_execution_id = ?", restarted.getId()))
                .as("only what was left").isEqualTo(25);
        Invariants.assertHold(invariants);
    }

    @Test
    void aDataErrorForOneLearnerFailsOnlyThatLearner() {
        Account acme = accounts.account("Acme").pool(PRO, 100).pool(HUB, 100);
        List<Long> learners = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            learners.add(acme.learner(aLearner().onLicense(PRO)));
        }
        long broken = learners.get(13);
        jdbc.execute("""
                create function fail_learner() returns trigger language plpgsql as $$
                begin
                    if new.learner_id = %d then
                        raise exception 'learner %% is locked by the HR import' , new.learner_id;
                    end if;
                    return new;
                end $$
                """.formatted(broken));
        jdbc.execute("create trigger fail_one_learner before insert on license_assignment"
                + " for each row execute function fail_learner()");

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jobs.outcomesByLearner(execution).get(broken)).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select detail from license_change_outcome where learner_id = ?", String.class,
                broken)).contains("learner " + broken + " is locked by the HR import");
        assertThat(jobs.currentType(broken)).as("left as it was: no gap without a license").isEqualTo(PRO);
        assertThat(learners.stream().filter(learner -> learner != broken))
                .allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(HUB));
        Invariants.assertHold(invariants);
    }

    /** An execution context as Spring Batch writes it for a step execution it has just created: empty. */
    private static String emptyContext() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            new org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer()
                    .serialize(new java.util.HashMap<>(), out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private long outcomes(JobExecution execution) {
        return count("select count(*) from license_change_outcome where job_instance_id = ?",
                execution.getJobInstanceId());
    }

    private long count(String sql, Object... parameters) {
        return jdbc.queryForObject(sql, Long.class, parameters);
    }

}
