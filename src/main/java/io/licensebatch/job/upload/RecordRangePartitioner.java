package io.licensebatch.job.upload;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits the staging of an upload into ranges of record numbers, staged in parallel. Each partition reads
 * the file from the top (parsing is cheap next to the database work, and only a full read finds record
 * boundaries when quoted fields span lines) and stages its own range.
 */
class RecordRangePartitioner implements Partitioner {

    static final String FIRST_RECORD = "firstRecord";
    static final String LAST_RECORD = "lastRecord";

    private final long records;
    private final int partitions;

    RecordRangePartitioner(long records, int partitions) {
        this.records = records;
        this.partitions = partitions;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> ranges = new LinkedHashMap<>();
        int parts = (int) Math.max(1, Math.min(partitions, records / 10_000));
        for (int part = 0; part < parts; part++) {
            ExecutionContext context = new ExecutionContext();
            context.putLong(FIRST_RECORD, records * part / parts + 1);
            context.putLong(LAST_RECORD, records * (part + 1) / parts);
            ranges.put("records" + (part + 1), context);
        }
        return ranges;
    }
}
