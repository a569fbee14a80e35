package io.licensebatch.support;

import io.licensebatch.db.SessionTuning;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inserts selection items and refreshes the statistics in one transaction, as a selection step does, then
 * rolls it back: a selection must be all or nothing, whatever the database.
 */
public final class SelectionRollback {

    private SelectionRollback() {
    }

    /** How many of the items survive the rollback (0 when the selection's transaction holds). */
    public static long itemsLeftAfterRollback(PlatformTransactionManager transactions, JdbcTemplate jdbc,
            SessionTuning selection, long jobInstanceId) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            for (long itemNo = 1; itemNo <= 3; itemNo++) {
                jdbc.update("insert into selection_item (job_instance_id, item_no) values (?, ?)", jobInstanceId,
                        itemNo);
            }
            selection.analyze();
            status.setRollbackOnly();
        });
        Long left = jdbc.queryForObject("select count(*) from selection_item where job_instance_id = ?", Long.class,
                jobInstanceId);
        return left == null ? 0 : left;
    }
}
