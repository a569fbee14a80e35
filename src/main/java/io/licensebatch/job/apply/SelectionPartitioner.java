package io.licensebatch.job.apply;

import io.licensebatch.selection.SelectionGateway;
import io.licensebatch.selection.SelectionGateway.OrgRange;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits a job instance's selection into partitions of the apply step: one or more per organization
 * (items of one org are numbered together), so that orgs run in parallel and a restart re-runs only the
 * partitions that did not finish. A large org is split into {@link #RANGES_PER_THREAD} ranges per partition
 * thread, of item numbers holding as many items each (item numbers need not be dense: a filter selection
 * numbers its items by learner id); each range is a contiguous keyset.
 */
class SelectionPartitioner implements Partitioner {

    static final String ORG = "org";
    static final String FIRST_ITEM = "firstItem";
    static final String LAST_ITEM = "lastItem";

    /**
     * A large org is cut into this many item ranges per partition thread, which take them in turn: a thread
     * that is done early takes the next range, so the threads end together even when the ranges' work differs
     * (an upload's ranges mix changes and no-ops unevenly: with one range per thread, one thread sat idle for
     * the last 8% of the apply step while the other finished).
     */
    static final int RANGES_PER_THREAD = 4;

    private final SelectionGateway selection;
    private final TransactionTemplate transaction;
    private final long jobInstanceId;
    private final int threads;
    private final int minPartitionItems;

    SelectionPartitioner(SelectionGateway selection, TransactionTemplate transaction, long jobInstanceId,
            int threads, int minPartitionItems) {
        this.selection = selection;
        this.transaction = transaction;
        this.jobInstanceId = jobInstanceId;
        this.threads = threads;
        this.minPartitionItems = minPartitionItems;
    }

    /** Reads the bounds in one transaction, where queries over the whole selection may use parallel workers. */
    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        return transaction.execute(status -> {
            selection.allowParallelQueryInThisTransaction();
            return partitions();
        });
    }

    private Map<String, ExecutionContext> partitions() {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        int mostParts = threads == 1 ? 1 : threads * RANGES_PER_THREAD;
        for (OrgRange range : selection.orgRanges(jobInstanceId)) {
            long parts = Math.max(1, Math.min(mostParts, range.items() / minPartitionItems));
            long first = range.firstItem();
            for (int part = 0; part < parts; part++) {
                // Each range's end is found from its start: the index is walked once over the whole org.
                long items = range.items() * (part + 1) / parts - range.items() * part / parts;
                long last = part == parts - 1 ? range.lastItem()
                        : selection.itemAt(jobInstanceId, first, items).orElseThrow() - 1;
                String name = "org" + range.orgId() + (parts > 1 ? "-part" + (part + 1) : "");
                partitions.put(name, context(range.orgId(), first, last));
                first = last + 1;
            }
        }
        if (partitions.isEmpty()) {
            partitions.put("empty", context(null, 1, 0));
        }
        return partitions;
    }

    private static ExecutionContext context(Long orgId, long first, long last) {
        ExecutionContext context = new ExecutionContext();
        if (orgId != null) {
            context.putLong(ORG, orgId);
        }
        context.putLong(FIRST_ITEM, first);
        context.putLong(LAST_ITEM, last);
        return context;
    }
}
