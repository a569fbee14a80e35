package io.licensebatch.job.common;

import io.licensebatch.domain.license.PoolKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code partition_plan} and {@code partition_seat_budget} tables: the partitions of a partitioned step,
 * frozen once per job instance. A partition's worker finds its range here by the name of its step execution
 * ({@code applyPartition:range3}), in whatever process it runs; it never reads it from the execution context
 * Spring Batch writes for it, which a kill can leave empty.
 */
@Repository
public class PartitionPlan {

    private static final String INSERT = """
            insert into partition_plan (job_instance_id, step_name, position, first_item, last_item, items)
            values (?, ?, ?, ?, ?, ?)
            """;

    private static final String SELECT = """
            select step_name, position, first_item, last_item, items
              from partition_plan where job_instance_id = ? and step_name like ? order by position
            """;

    private static final String SELECT_ONE = """
            select step_name, position, first_item, last_item, items
              from partition_plan where job_instance_id = ? and step_name = ?
            """;

    private static final String INSERT_BUDGET = """
            insert into partition_seat_budget (job_instance_id, step_name, org_id, license_type, initial_seats)
            values (?, ?, ?, ?, ?)
            """;

    private static final String SELECT_BUDGET = """
            select org_id, license_type, initial_seats
              from partition_seat_budget where job_instance_id = ? and step_name = ?
            """;

    private final JdbcTemplate jdbc;

    public PartitionPlan(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One partition: the items (or upload records) from {@code firstItem} to {@code lastItem}, inclusive.
     *
     * @param stepName the partition's step execution name: the worker step's name, ':', the partition's
     */
    public record Range(String stepName, int position, long firstItem, long lastItem, long items) {

        /** The part after the worker step's name: Spring Batch's partition key. */
        public String partitionName() {
            return stepName.substring(stepName.indexOf(':') + 1);
        }
    }

    /** The ranges of a worker step, in order; empty while none were planned. */
    public List<Range> ranges(long jobInstanceId, String workerStep) {
        return jdbc.query(SELECT, (rs, row) -> new Range(rs.getString("step_name"), rs.getInt("position"),
                rs.getLong("first_item"), rs.getLong("last_item"), rs.getLong("items")), jobInstanceId,
                workerStep + ":%");
    }

    /** The range of one partition's step execution. */
    public Range range(long jobInstanceId, String stepName) {
        return jdbc.query(SELECT_ONE, (rs, row) -> new Range(rs.getString("step_name"), rs.getInt("position"),
                rs.getLong("first_item"), rs.getLong("last_item"), rs.getLong("items")), jobInstanceId, stepName)
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("no partition " + stepName
                        + " is planned for job instance " + jobInstanceId));
    }

    public void save(long jobInstanceId, List<Range> ranges) {
        jdbc.batchUpdate(INSERT, ranges.stream().map(range -> new Object[] {jobInstanceId, range.stepName(),
                range.position(), range.firstItem(), range.lastItem(), range.items()}).toList());
    }

    /** How many of the seats free when the selection was taken each range gives out, per short pool. */
    public void saveBudgets(long jobInstanceId, String stepName, Map<PoolKey, Integer> initialSeats) {
        jdbc.batchUpdate(INSERT_BUDGET, initialSeats.entrySet().stream().map(entry -> new Object[] {jobInstanceId,
                stepName, entry.getKey().orgId(), entry.getKey().licenseType(), entry.getValue()}).toList());
    }

    /** The range's seat budgets: only pools with fewer free seats than arrivals have one. */
    public Map<PoolKey, Integer> budgets(long jobInstanceId, String stepName) {
        Map<PoolKey, Integer> budgets = new HashMap<>();
        jdbc.query(SELECT_BUDGET, rs -> {
            budgets.put(new PoolKey(rs.getLong("org_id"), rs.getString("license_type")), rs.getInt("initial_seats"));
        }, jobInstanceId, stepName);
        return budgets;
    }
}
