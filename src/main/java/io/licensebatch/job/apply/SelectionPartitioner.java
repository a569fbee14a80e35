package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.PlannedPartitioner;
import io.licensebatch.db.SessionTuning;
import io.licensebatch.selection.SelectionReads;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Cuts a job instance's selection into the ranges of the apply step by work, not by organization: ranges of
 * item numbers holding as many items each, so that a platform of thousands of small orgs is a few ranges (a
 * chunk holds learners of several orgs, and still locks their pools in one fixed order), and one large org is
 * several. Item numbers need not be dense (a filter selection numbers its items by learner id). Up to
 * {@link #RANGES_PER_THREAD} ranges per partition thread, which take them in turn: a thread that is done early
 * takes the next range, so the threads end together even when the ranges' work differs (an upload mixes
 * changes and no-ops unevenly).
 *
 * <p>For each pool that more learners arrive in than it had seats free when the selection was taken, the plan
 * also gives each range its share of those free seats, in selection order (see {@code SeatBudget}): the seats
 * go to the arrivals that will take one, as the apply decides them (with the learners' state when the plan is
 * made), so that an arrival the apply rejects for another reason (a deactivated learner, one already on the
 * target) holds no seat back from the ranges after it.
 */
class SelectionPartitioner extends PlannedPartitioner {

    static final int RANGES_PER_THREAD = 4;

    /** Items read at a time for the seat plan of short pools, whatever the chunk size. */
    private static final int PLAN_PAGE = 10_000;

    private final SelectionReads selection;
    private final SessionTuning tuning;
    private final PartitionPlan plan;
    private final int mostRanges;
    private final IntSupplier threads;
    private final int minPartitionItems;
    private final boolean seatsMoveWithLearners;
    private final ApplyProcessor decisions;

    /**
     * @param mostRanges            how many ranges at most (fewer when each would hold fewer than
     *                              {@code minPartitionItems} items)
     * @param threads               how many run at once (local threads, or the workers' consumers), asked when a
     *                              plan is made (not when a restart finds one): the number of ranges is a
     *                              multiple of it, where it can be
     * @param seatsMoveWithLearners a seat transfer: pools grow with their arrivals, nobody lacks a seat
     * @param decisions             the apply's own decisions, for the seat plan of short pools
     */
    SelectionPartitioner(SelectionReads selection, SessionTuning tuning, PartitionPlan plan,
            TransactionTemplate ownTransaction, ApplyProcessor decisions, long jobInstanceId, int mostRanges,
            IntSupplier threads, int minPartitionItems, boolean seatsMoveWithLearners) {
        super(plan, ownTransaction, jobInstanceId, ApplyPartitionStep.NAME);
        this.decisions = decisions;
        this.selection = selection;
        this.tuning = tuning;
        this.plan = plan;
        this.mostRanges = mostRanges;
        this.threads = threads;
        this.minPartitionItems = minPartitionItems;
        this.seatsMoveWithLearners = seatsMoveWithLearners;
    }

    @Override
    protected List<PartitionPlan.Range> plan(long jobInstanceId) {
        // The bounds and cuts scan the whole selection: in this transaction they may use parallel workers.
        tuning.allowParallelQueryInThisTransaction();
        List<PartitionPlan.Range> ranges = new ArrayList<>();
        long[] bounds = selection.bounds(jobInstanceId).orElse(null);
        if (bounds == null) {
            ranges.add(new PartitionPlan.Range(workerStep() + ":empty", 1, 1, 0, 0));
            return ranges;
        }
        long items = bounds[2];
        long parts = Math.max(1, Math.min(mostRanges, items / minPartitionItems));
        int threads = Math.max(1, this.threads.getAsInt());
        if (parts > threads) {
            // Whole rounds of the threads: 5 ranges on 2 threads would leave one thread alone with the fifth.
            parts -= parts % threads;
        }
        long first = bounds[0];
        for (int part = 0; part < parts; part++) {
            // Each range's end is found from its start: the index is walked once over the whole selection.
            long inPart = items * (part + 1) / parts - items * part / parts;
            long last = part == parts - 1 ? bounds[1]
                    : selection.itemAt(jobInstanceId, first, inPart).orElseThrow() - 1;
            ranges.add(new PartitionPlan.Range(workerStep() + ":range" + (part + 1), part + 1, first, last, inPart));
            first = last + 1;
        }
        return ranges;
    }

    /**
     * The free seats of each short pool go to the ranges' arrivals in item order, earlier ranges first: a range's
     * initial seats in a pool are its arrivals there that come before the pool's free seats are all taken, counting
     * as taking one only the arrivals the apply will let take one. The range's budget then counts every arrival
     * (see {@code SeatBudget}), and one that does not take its seat after all leaves it to the range's next.
     */
    @Override
    protected void planned(long jobInstanceId, List<PartitionPlan.Range> ranges) {
        if (seatsMoveWithLearners) {
            return;
        }
        Map<PoolKey, Long> free = new HashMap<>();
        selection.shortPools(jobInstanceId).forEach(pool -> free.put(new PoolKey(pool.orgId(),
                pool.licenseType()), Math.max(0, pool.free())));
        if (free.isEmpty()) {
            return;
        }
        // Every pool each range's items arrive in gets an entry, 0 seats or more: a range consults those alone.
        Map<String, Map<PoolKey, Integer>> initial = new HashMap<>();
        selection.arrivalsPerRange(jobInstanceId, workerStep(), (stepName, orgId, type, count) -> {
            PoolKey key = new PoolKey(orgId, type);
            if (free.containsKey(key)) {
                initial.computeIfAbsent(stepName, name -> new LinkedHashMap<>()).put(key, 0);
            }
        });
        giveFreeSeatsInItemOrder(jobInstanceId, ranges, free, initial);
        for (PartitionPlan.Range range : ranges) {
            plan.saveBudgets(jobInstanceId, range.stepName(), initial.getOrDefault(range.stepName(), Map.of()));
        }
    }

    /** Reads the selection in item order, as the apply will, until no short pool has a free seat left to give. */
    private void giveFreeSeatsInItemOrder(long jobInstanceId, List<PartitionPlan.Range> ranges, Map<PoolKey, Long> free,
            Map<String, Map<PoolKey, Integer>> initial) {
        long seatsLeft = free.values().stream().mapToLong(Long::longValue).sum();
        int rangeIndex = 0;
        long after = ranges.get(0).firstItem() - 1;
        long last = ranges.get(ranges.size() - 1).lastItem();
        while (seatsLeft > 0) {
            List<Candidate> page = selection.page(jobInstanceId, after, last, PLAN_PAGE);
            for (Candidate candidate : page) {
                SelectionItem item = candidate.item();
                after = item.itemNo();
                while (item.itemNo() > ranges.get(rangeIndex).lastItem()) {
                    rangeIndex++;
                }
                PoolKey pool = new PoolKey(item.orgId(), item.targetType());
                Long left = free.get(pool);
                if (!item.arrivesInTarget() || left == null || left == 0) {
                    continue;
                }
                initial.computeIfAbsent(ranges.get(rangeIndex).stepName(), name -> new LinkedHashMap<>())
                        .merge(pool, 1, Integer::sum);
                Decided decided = decisions.process(candidate);
                if (decided.action() == Action.REASSIGN && decided.decision().changesSomething()) {
                    free.put(pool, left - 1);
                    seatsLeft--;
                }
            }
            if (page.size() < PLAN_PAGE) {
                return;
            }
        }
    }
}
