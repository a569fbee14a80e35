package io.licensebatch.selection;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static io.licensebatch.support.SelectionRollback.itemsLeftAfterRollback;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the embedded H2 default: ANALYZE would commit the open transaction there, saving half a selection that
 * a restart then could not take again (duplicate items). The selection must stay all or nothing.
 */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:selection-transaction;MODE=PostgreSQL;"
        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class SelectionTransactionH2Test {

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    io.licensebatch.db.SessionTuning selection;

    @Test
    void aRolledBackSelectionLeavesNoItems() {
        assertThat(itemsLeftAfterRollback(transactions, jdbc, selection, 9_001)).isZero();
    }
}
