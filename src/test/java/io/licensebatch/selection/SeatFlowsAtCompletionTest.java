package io.licensebatch.selection;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat flows a completion computed are what later asks in this process get, but only once the completing
 * transaction committed: a completion rolled back (the selection is then taken again) leaves nothing behind.
 */
class SeatFlowsAtCompletionTest extends PostgresIntegrationTest {

    @Autowired
    SelectionCounts counts;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aCommittedCompletionsFlowsAreKeptAndARolledBackOnesAreNot() {
        long rolledBack = 9_101;
        long committed = 9_102;
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            items(rolledBack, 3);
            assertThat(learners(counts.seatFlowsAtCompletion(rolledBack))).isEqualTo(3);
            status.setRollbackOnly();
        });
        items(rolledBack, 5);
        assertThat(learners(counts.seatFlows(rolledBack))).as("taken again after the rollback").isEqualTo(5);

        transaction.executeWithoutResult(status -> {
            items(committed, 4);
            assertThat(learners(counts.seatFlowsAtCompletion(committed))).isEqualTo(4);
        });
        jdbc.update("update selection_item set rejection = 'DUPLICATE_RECORD' where job_instance_id = ?", committed);
        assertThat(learners(counts.seatFlows(committed)))
                .as("a completed selection's flows, as its completion saw them (nothing changes a taken selection)")
                .isEqualTo(4);
    }

    private void items(long jobInstanceId, int n) {
        for (int i = 1; i <= n; i++) {
            jdbc.update("""
                    insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type,
                           expected_license_type)
                    values (?, ?, 1, ?, 'REASSIGN', 'LEARNING_HUB', 'LEARNING_PRO')
                    """, jobInstanceId, (long) i, 100L + i);
        }
    }

    private static long learners(List<SeatImpact.Flow> flows) {
        return flows.stream().mapToLong(SeatImpact.Flow::learners).sum();
    }
}
