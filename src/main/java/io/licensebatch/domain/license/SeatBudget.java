package io.licensebatch.domain.license;

import java.util.HashMap;
import java.util.Map;

/**
 * Which learners of one range of a run may take a seat in a pool that has fewer seats free than the run's
 * learners need: decided in selection order from frozen numbers, so that the same learners get the seats
 * however the ranges' chunks interleave, whether the run was killed and restarted or not, and in a dry run
 * as in the real one.
 *
 * <p>The rule: the seats free when the selection was taken go to the run's arrivals (the items that need a seat
 * there, in item order) from the first on; each range knows how many of its own arrivals come before the free
 * seats run out, its {@code initial} seats (the planner gave earlier ranges theirs first, and counted as taking
 * one only the arrivals the apply's decisions let take one, so an arrival it rejects for another reason holds no
 * seat back from later ranges). Beyond those, a seat that the range itself frees (a learner leaving the pool), or
 * an initial seat one of its arrivals did not use (it was rejected after all, its learner having changed since
 * the plan), serves the next arrival of the same range. So within one range this is exactly
 * "one learner at a time, in selection order": a run of a single range (every run of up to
 * {@code min-partition-items} learners) gives every seat it frees to the learners after it. A seat freed in one
 * range is not given out in another (the two run at the same time), so a run cannot take a seat before it is
 * free: the pool never goes over its total. Pools with enough free seats have no budget: every arrival may.
 *
 * <p>Per pool it keeps: {@code initial} I, arrivals seen K, seats taken T and seats freed F, all counted from the
 * range's start. The next arrival is initial while K &lt; I; after that it may take a seat while the range's
 * credit, {@code F + min(K, I) - T}, is above zero. On a restart the counts are read from the committed outcomes.
 */
public final class SeatBudget {

    private final Map<PoolKey, long[]> pools = new HashMap<>(); // initial, seen, taken, freed

    /** A budget for the short pools of a range: their initial seats, nothing seen yet. */
    public SeatBudget(Map<PoolKey, Integer> initialSeats) {
        initialSeats.forEach((key, seats) -> pools.put(key, new long[] {seats, 0, 0, 0}));
    }

    private SeatBudget(SeatBudget other) {
        other.pools.forEach((key, counts) -> pools.put(key, counts.clone()));
    }

    /** A budget that limits nothing (enough seats everywhere, or seats that move with their learners). */
    public static SeatBudget unlimited() {
        return new SeatBudget(Map.of());
    }

    /** An independent copy: a chunk plans on a copy, and keeps it only once its plan is final. */
    public SeatBudget copy() {
        return new SeatBudget(this);
    }

    public boolean limits(PoolKey pool) {
        return pools.containsKey(pool);
    }

    /** Restores how far the range got before a restart: arrivals seen, seats taken in and freed from the pool. */
    public void resume(PoolKey pool, long seen, long taken, long freed) {
        long[] counts = pools.get(pool);
        if (counts != null) {
            counts[1] = seen;
            counts[2] = taken;
            counts[3] = freed;
        }
    }

    /**
     * The next arrival in the pool comes by (in item order, whether it will want the seat or not); returns
     * whether it may take one. Every arrival is counted, so that it must be called for each, once.
     */
    public boolean arrives(PoolKey pool) {
        long[] counts = pools.get(pool);
        if (counts == null) {
            return true;
        }
        long initial = counts[0];
        long seen = counts[1];
        counts[1] = seen + 1;
        if (seen < initial) {
            return true;
        }
        return counts[3] + Math.min(seen, initial) - counts[2] > 0;
    }

    /** An arrival took a seat in the pool. */
    public void took(PoolKey pool) {
        long[] counts = pools.get(pool);
        if (counts != null) {
            counts[2]++;
        }
    }

    /** A learner left the pool (reassigned elsewhere, or revoked): their seat is free again. */
    public void freed(PoolKey pool) {
        long[] counts = pools.get(pool);
        if (counts != null) {
            counts[3]++;
        }
    }
}
