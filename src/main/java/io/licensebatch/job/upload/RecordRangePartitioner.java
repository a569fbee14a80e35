package io.licensebatch.job.upload;

import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.PlannedPartitioner;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the staging of an upload into ranges of record numbers, staged in parallel, planned once per job
 * instance from the accepted upload's record count. Each partition reads the file from the top (parsing is
 * cheap next to the database work, and only a full read finds record boundaries when quoted fields span
 * lines) and stages its own range.
 */
class RecordRangePartitioner extends PlannedPartitioner {

    private final long records;
    private final int partitions;

    RecordRangePartitioner(PartitionPlan plan, TransactionTemplate ownTransaction, long jobInstanceId, long records,
            int partitions) {
        super(plan, ownTransaction, jobInstanceId, StagePartitionStep.NAME);
        this.records = records;
        this.partitions = partitions;
    }

    @Override
    protected List<PartitionPlan.Range> plan(long jobInstanceId) {
        List<PartitionPlan.Range> ranges = new ArrayList<>();
        int parts = (int) Math.max(1, Math.min(partitions, records / 10_000));
        for (int part = 0; part < parts; part++) {
            long first = records * part / parts + 1;
            long last = records * (part + 1) / parts;
            ranges.add(new PartitionPlan.Range(workerStep() + ":records" + (part + 1), part + 1, first, last,
                    last - first + 1));
        }
        return ranges;
    }
}
