package io.licensebatch.selection;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import static io.licensebatch.support.SelectionRollback.itemsLeftAfterRollback;
import static org.assertj.core.api.Assertions.assertThat;

/** On PostgreSQL, refreshing the snapshot's statistics stays inside the selection's transaction. */
class SelectionTransactionTest extends PostgresIntegrationTest {

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    io.licensebatch.db.SessionTuning selection;

    @Test
    void aRolledBackSelectionLeavesNoItems() {
        assertThat(itemsLeftAfterRollback(transactions, jdbc, selection, 9_001)).isZero();
    }
}
