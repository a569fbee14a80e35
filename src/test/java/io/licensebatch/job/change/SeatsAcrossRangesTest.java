package io.licensebatch.job.change;

import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.support.Invariants;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short pool's free seats, in a run of many ranges: they go to the learners in selection order, as in a run of
 * one range, and none is left free while a learner is refused one. Ranges of 25 items (8 on 2 threads).
 */
@TestPropertySource(properties = {"license-batch.chunk-size=7", "license-batch.partitions=2",
        "license-batch.min-partition-items=20"})
class SeatsAcrossRangesTest extends PostgresIntegrationTest {

    /**
     * The first 60 selected learners are deactivated: a reassign rejects them (LEARNER_DEACTIVATED), so they take
     * no seat. Before, the plan gave the first ranges, where only they arrive, 50 of the 100 free seats: those
     * ranges had nobody else to give them to, and 50 seats stayed free while 90 learners got NO_SEATS.
     */
    @Test
    void learnersRejectedForAnotherReasonHoldNoSeatBackFromTheRangesAfterThem() {
        Account acme = accounts.account("Acme").pool(PRO, 200).pool(HUB, 100);
        List<Long> deactivated = new ArrayList<>();
        List<Long> active = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            deactivated.add(acme.learner(aLearner().status(LearnerStatus.DEACTIVATED).onLicense(PRO)));
        }
        for (int i = 0; i < 140; i++) {
            active.add(acme.learner(aLearner().onLicense(PRO)));
        }

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(count("select count(*) from partition_plan where job_instance_id = ?",
                execution.getJobInstanceId())).as("a run of many ranges").isEqualTo(8);
        Map<Long, String> outcomes = jobs.outcomesByLearner(execution);
        Map<Long, String> expected = new LinkedHashMap<>();
        deactivated.forEach(learner -> expected.put(learner, "REJECTED LEARNER_DEACTIVATED"));
        for (int i = 0; i < active.size(); i++) {
            expected.put(active.get(i), i < 100 ? "REASSIGNED" : "REJECTED NO_SEATS");
        }
        assertThat(outcomes).as("the 100 free seats, to the first 100 who may take one").isEqualTo(expected);
        assertThat(jdbc.queryForObject("select seats_used || ' of ' || seats_total from license_pool"
                + " where org_id = ? and license_type = ?", String.class, acme.id, HUB)).isEqualTo("100 of 100");
        Invariants.assertHold(invariants);
    }

    private long count(String sql, Object... parameters) {
        return jdbc.queryForObject(sql, Long.class, parameters);
    }
}
