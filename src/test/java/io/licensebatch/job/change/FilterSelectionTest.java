package io.licensebatch.job.change;

import io.licensebatch.job.common.JobRunner;
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
 * A large org's filter selection is taken in learner-id ranges at once, each on a connection of its own (the
 * database records which backend inserted what), and a selection that failed in one range after another one
 * committed is taken again from scratch: the job works on exactly the filter's learners, once each.
 */
@TestPropertySource(properties = {"license-batch.chunk-size=10", "license-batch.partitions=2",
        "license-batch.min-partition-items=20"})
class FilterSelectionTest extends PostgresIntegrationTest {

    @Autowired
    JobRunner runner;

    @AfterEach
    void dropTriggers() {
        jdbc.execute("drop trigger if exists record_backend on selection_item");
        jdbc.execute("drop trigger if exists fail_range on selection_item");
        jdbc.execute("drop function if exists record_backend()");
        jdbc.execute("drop function if exists fail_range()");
        jdbc.execute("drop table if exists selection_backend");
    }

    @Test
    void aLargeOrgIsTakenInRangesAtOnceNumberedByLearnerId() {
        Account acme = accounts.account("Acme").pool(PRO, 100).pool(HUB, 100);
        List<Long> selected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long learner = acme.learner(aLearner().onLicense(i % 3 == 0 ? HUB : PRO));
            if (i % 3 != 0) {
                selected.add(learner);
            }
        }
        jdbc.execute("create table selection_backend (pid int, items bigint)");
        jdbc.execute("""
                create function record_backend() returns trigger language plpgsql as $$
                begin
                    insert into selection_backend select pg_backend_pid(), count(*) from inserted;
                    return null;
                end $$
                """);
        jdbc.execute("create trigger record_backend after insert on selection_item"
                + " referencing new table as inserted for each statement execute function record_backend()");

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForList("select item_no from selection_item where job_instance_id = ? order by item_no",
                Long.class, execution.getJobInstanceId())).as("one item per selected learner, numbered by learner id")
                .containsExactlyElementsOf(selected);
        assertThat(jdbc.queryForList("select items from selection_backend where items > 0 order by pid", Long.class))
                .as("two ranges, inserted by two backends").hasSize(2)
                .allSatisfy(items -> assertThat(items).isGreaterThan(5L));
        assertThat(jdbc.queryForObject("select count(distinct pid) from selection_backend", Long.class)).isEqualTo(2);
        assertThat(selected).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(HUB));
        assertThat(jdbc.queryForList("select step_name from batch_step_execution where job_execution_id = ?"
                + " and step_name like 'applyPartition%' and write_count between 15 and 25", String.class,
                execution.getId())).as("the apply partitions split the items evenly").hasSize(2);
        Invariants.assertHold(invariants);
    }

    @Test
    void aSelectionThatFailedAfterOneRangeCommittedIsTakenAgainFromScratch() {
        Account acme = accounts.account("Acme").pool(PRO, 100).pool(HUB, 100);
        List<Long> learners = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            learners.add(acme.learner(aLearner().onLicense(PRO)));
        }
        long firstLearner = learners.get(0);
        // The first range (the selection step's own transaction) fails; the other range commits on its own.
        jdbc.execute("""
                create function fail_range() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from inserted where learner_id = %d) then
                        raise exception 'selection range refused by the test';
                    end if;
                    return null;
                end $$
                """.formatted(firstLearner));
        jdbc.execute("create trigger fail_range after insert on selection_item"
                + " referencing new table as inserted for each statement execute function fail_range()");

        JobExecution failed = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        long instance = failed.getJobInstanceId();
        assertThat(count("select count(*) from selection_taken where job_instance_id = ?", instance)).isZero();
        assertThat(count("select count(*) from selection_item where job_instance_id = ?", instance))
                .as("the other range committed: left behind, not taken").isBetween(20L, 40L);
        // Stale leftovers anywhere in the id space are dropped too: the ranges always cover every id.
        jdbc.update("insert into selection_item (job_instance_id, item_no, org_id, learner_id) values (?, ?, ?, ?)",
                instance, Long.MAX_VALUE - 1, acme.id, learners.get(59));
        assertThat(learners).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(PRO));
        dropTriggers();

        JobExecution restarted = runner.restart(failed.getId());

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForList("select item_no from selection_item where job_instance_id = ? order by item_no",
                Long.class, instance)).containsExactlyElementsOf(learners);
        assertThat(count("select count(*) from license_change_outcome where job_instance_id = ?", instance))
                .isEqualTo(60);
        assertThat(learners).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(HUB));
        Invariants.assertHold(invariants);
    }

    private long count(String sql, Object... parameters) {
        return jdbc.queryForObject(sql, Long.class, parameters);
    }
}
