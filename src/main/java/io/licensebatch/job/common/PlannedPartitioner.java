package io.licensebatch.job.common;

import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partitioner whose partitions are planned once per job instance, from data that no longer changes (the
 * frozen selection, the accepted upload), and stored in {@link PartitionPlan} before Spring Batch creates a
 * step execution for any of them. Every later call, on a restart of the same instance, returns the same plan:
 * the partitions never change however often the step is interrupted, and a worker, in whatever process, reads
 * its own range from the plan by its name.
 *
 * <p>The execution contexts returned carry the range too, for people and tools that read Spring Batch's tables;
 * nothing reads them back.
 */
public abstract class PlannedPartitioner implements Partitioner, PartitionNameProvider {

    public static final String FIRST = "first";
    public static final String LAST = "last";

    private final PartitionPlan plan;
    private final TransactionTemplate ownTransaction;
    private final long jobInstanceId;
    private final String workerStep;

    /**
     * @param ownTransaction a template that starts a transaction of its own: the plan commits before any
     *                       partition's step execution is created
     */
    protected PlannedPartitioner(PartitionPlan plan, TransactionTemplate ownTransaction, long jobInstanceId,
            String workerStep) {
        this.plan = plan;
        this.ownTransaction = ownTransaction;
        this.jobInstanceId = jobInstanceId;
        this.workerStep = workerStep;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        List<PartitionPlan.Range> ranges = ownTransaction.execute(status -> {
            List<PartitionPlan.Range> planned = plan.ranges(jobInstanceId, workerStep);
            if (planned.isEmpty()) {
                planned = plan(jobInstanceId);
                plan.save(jobInstanceId, planned);
                planned(jobInstanceId, planned);
            }
            return planned;
        });
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (PartitionPlan.Range range : ranges) {
            ExecutionContext context = new ExecutionContext();
            context.putLong(FIRST, range.firstItem());
            context.putLong(LAST, range.lastItem());
            partitions.put(range.partitionName(), context);
        }
        return partitions;
    }

    @Override
    public Collection<String> getPartitionNames(int gridSize) {
        return partition(gridSize).keySet();
    }

    /** The ranges, computed from frozen data only, named {@code workerStep + ":" + partition}. */
    protected abstract List<PartitionPlan.Range> plan(long jobInstanceId);

    /** More of the plan, in the same transaction, once the ranges are saved. */
    protected void planned(long jobInstanceId, List<PartitionPlan.Range> ranges) {
    }

    protected String workerStep() {
        return workerStep;
    }
}
