package io.licensebatch.job.apply;

import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.db.SessionTuning;
import io.licensebatch.selection.SelectionReads;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The apply step's ranges are cut by work: item ranges holding as many items each, contiguous, covering every
 * item across orgs, however sparse the item numbers are; planned once per job instance and then read back,
 * never planned again; and for a pool with fewer free seats than arrivals, the free seats go to the ranges in
 * item order, to the arrivals that will take one.
 */
class SelectionPartitionerTest extends PostgresIntegrationTest {

    @Autowired
    SelectionReads selection;

    @Autowired
    SessionTuning tuning;

    @Autowired
    PartitionPlan plan;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    LicenseTypeGateway licenseTypes;

    @Test
    void aSelectionIsCutIntoRangesOfEqualWorkAcrossOrgsOnceAndForAll() {
        long instance = 4242;
        // 1,000 items of org 1, numbered sparsely and unevenly (as learner ids are), and 200 of org 2.
        List<Long> items = new ArrayList<>();
        long itemNo = 100;
        for (int i = 0; i < 1000; i++) {
            itemNo += i < 500 ? 1 : 1 + (i % 7) * 13;
            items.add(itemNo);
            insertItem(instance, itemNo, 1, null, null);
        }
        for (int i = 0; i < 200; i++) {
            items.add(++itemNo);
            insertItem(instance, itemNo, 2, null, null);
        }

        Map<String, ExecutionContext> partitions = partitioner(instance, 2, 100).partition(2);

        List<long[]> ranges = partitions.values().stream()
                .map(context -> new long[] {context.getLong("first"), context.getLong("last")}).toList();
        assertThat(partitions).as("2 threads x %d ranges", SelectionPartitioner.RANGES_PER_THREAD).hasSize(8)
                .containsKeys("range1", "range8");
        assertThat(ranges.get(0)[0]).isEqualTo(items.get(0));
        assertThat(ranges.get(7)[1]).isEqualTo(items.get(1199));
        for (int i = 0; i < ranges.size(); i++) {
            long[] range = ranges.get(i);
            if (i > 0) {
                assertThat(range[0]).as("contiguous").isEqualTo(ranges.get(i - 1)[1] + 1);
            }
            assertThat(items.stream().filter(no -> no >= range[0] && no <= range[1]).count()).isEqualTo(150);
        }
        assertThat(plan.range(instance, "applyPartition:range8").items()).isEqualTo(150);

        Map<String, ExecutionContext> again = partitioner(instance, 1, 10_000).partition(1);
        assertThat(again.keySet()).as("planned once: other settings on a restart change nothing")
                .containsExactlyElementsOf(partitions.keySet());
        assertThat(again.get("range3").getLong("last")).isEqualTo(ranges.get(2)[1]);
    }

    @Test
    void theFreeSeatsOfAShortPoolGoToTheRangesInItemOrder() {
        long instance = 4343;
        // 400 learners arrive in the org's LEARNING_HUB, which had 250 seats free; 100 others are on it already.
        // Of the first 100 arrivals, 20 are deactivated: the apply will give them no seat, so they hold none back.
        Account org = accounts.account("Seats").pool(TestAccounts.PRO, 1000).pool(TestAccounts.HUB, 1000);
        for (long no = 1; no <= 500; no++) {
            boolean arrives = no <= 400;
            long learner = org.learner(aLearner().status(no % 5 == 0 && no <= 100 ? LearnerStatus.DEACTIVATED
                    : LearnerStatus.ACTIVE).onLicense(arrives ? TestAccounts.PRO : TestAccounts.HUB));
            jdbc.update("""
                    insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type,
                                                expected_assignment_id, expected_license_type)
                    select ?, ?, ?, ?, 'REASSIGN', 'LEARNING_HUB', a.id, a.license_type
                      from license_assignment a where a.learner_id = ? and a.ended_at is null
                    """, instance, no, org.id, learner, learner);
        }
        jdbc.update("""
                insert into job_seat_pool (job_instance_id, org_id, license_type, seats_total_before,
                                           seats_used_before, seats_total, seats_used)
                values (?, ?, 'LEARNING_HUB', 1000, 750, 1000, 750)
                """, instance, org.id);

        Map<String, ExecutionContext> partitions = partitioner(instance, 5, 100).partition(5);

        assertThat(partitions).hasSize(5);
        PoolKey hub = new PoolKey(org.id, "LEARNING_HUB");
        assertThat(plan.budgets(instance, "applyPartition:range1")).as("80 take a seat").containsEntry(hub, 100);
        assertThat(plan.budgets(instance, "applyPartition:range2")).containsEntry(hub, 100);
        assertThat(plan.budgets(instance, "applyPartition:range3")).as("the other 70").containsEntry(hub, 70);
        assertThat(plan.budgets(instance, "applyPartition:range4")).containsEntry(hub, 0);
        assertThat(plan.budgets(instance, "applyPartition:range5")).as("nobody arrives there").isEmpty();
    }

    @Test
    void theRangesAreWholeRoundsOfTheThreadsSoThatNoThreadIsLeftAloneWithTheLastOne() {
        long instance = 4344;
        for (long no = 1; no <= 500; no++) {
            insertItem(instance, no, 7, "LEARNING_HUB", "LEARNING_PRO");
        }
        // 500 items of at least 100 each would be 5 ranges; on 2 threads the fifth would run alone
        assertThat(partitioner(instance, 2, 100).partition(2)).hasSize(4);
        assertThat(plan.ranges(instance, "applyPartition").stream().mapToLong(PartitionPlan.Range::items).sum())
                .isEqualTo(500);
    }

    private SelectionPartitioner partitioner(long instance, int threads, int minItems) {
        TransactionTemplate own = new TransactionTemplate(transactionManager);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new SelectionPartitioner(selection, tuning, plan, own, new ApplyProcessor(licenseTypes, false, false),
                instance, threads == 1 ? 1 : threads * SelectionPartitioner.RANGES_PER_THREAD, () -> threads, minItems,
                false);
    }

    private void insertItem(long instance, long itemNo, long orgId, String target, String expected) {
        jdbc.update("""
                insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type,
                                            expected_license_type)
                values (?, ?, ?, ?, 'REASSIGN', ?, ?)
                """, instance, itemNo, orgId, itemNo, target, expected);
    }
}
