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
 * partitions that did not finish. A large org is split into {@code partitionsPerOrg} ranges of item
 * numbers holding as many items each (item numbers need not be dense: a filter selection numbers its items
 * by learner id); each range is a contiguous keyset.
 */
class SelectionPartitioner implements Partitioner {

    static final String ORG = "org";
    static final String FIRST_ITEM = "firstItem";
    static final String LAST_ITEM = "lastItem";

    private final SelectionGateway selection;
    private final TransactionTemplate transaction;
    private final long jobInstanceId;
    private final int partitionsPerOrg;
    private final int minPartitionItems;

    SelectionPartitioner(SelectionGateway selection, TransactionTemplate transaction, long jobInstanceId,
            int partitionsPerOrg, int minPartitionItems) {
        this.selection = selection;
        this.transaction = transaction;
        this.jobInstanceId = jobInstanceId;
        this.partitionsPerOrg = partitionsPerOrg;
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
        for (OrgRange range : selection.orgRanges(jobInstanceId)) {
            long parts = Math.max(1, Math.min(partitionsPerOrg, range.items() / minPartitionItems));
            long first = range.firstItem();
            for (int part = 0; part < parts; part++) {
                long last = part == parts - 1 ? range.lastItem()
                        : selection.itemAt(jobInstanceId, range.firstItem(), range.items() * (part + 1) / parts)
                                .orElseThrow() - 1;
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
