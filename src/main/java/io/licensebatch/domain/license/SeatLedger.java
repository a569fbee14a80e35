package io.licensebatch.domain.license;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seats of the pools a chunk has locked, as the chunk takes and frees them. Pure bookkeeping: the
 * writer decides with it, then writes its {@link #deltas()} in one statement. Because every decision is
 * made against locked counts, a pool never goes over its total, whatever else runs at the same time.
 */
public final class SeatLedger {

    // Looked up several times per learner: hashed (a chunk names a handful of pools; deltas() orders them).
    private final Map<PoolKey, int[]> seats = new HashMap<>();  // total, used
    private final Map<PoolKey, int[]> changes = new HashMap<>(); // used delta, total delta

    public SeatLedger(Map<PoolKey, SeatPool> lockedPools) {
        lockedPools.forEach((key, pool) -> seats.put(key, new int[] {pool.seatsTotal(), pool.seatsUsed()}));
    }

    public boolean hasPool(PoolKey key) {
        return seats.containsKey(key);
    }

    public int free(PoolKey key) {
        int[] pool = seats.get(key);
        return pool == null ? 0 : pool[0] - pool[1];
    }

    /** Takes a free seat if there is one. */
    public boolean take(PoolKey key) {
        if (free(key) <= 0) {
            return false;
        }
        change(key, 1, 0);
        return true;
    }

    /** Frees a seat: a learner left the pool, or a taken seat was not used after all. */
    public void free(PoolKey key, int seatsFreed) {
        if (hasPool(key)) {
            change(key, -seatsFreed, 0);
        }
    }

    /** A seat moves in together with its learner: the pool's total grows with its use (seat transfer). */
    public void growWithLearner(PoolKey key) {
        if (!hasPool(key)) {
            throw new IllegalStateException("no seat pool " + key + " to transfer seats into");
        }
        change(key, 1, 1);
    }

    /** A seat leaves together with its learner: the pool's total shrinks with its use (seat transfer). */
    public void shrinkWithLearner(PoolKey key) {
        if (hasPool(key)) {
            change(key, -1, -1);
        }
    }

    /**
     * Whether this ledger's changes still fit the pools as they are now (locked): every pool stays within
     * 0 and its total. Used when the plan was made from an unlocked read.
     */
    public boolean fitsInto(Map<PoolKey, SeatPool> now) {
        for (SeatDelta delta : deltas()) {
            SeatPool pool = now.get(delta.key());
            if (pool == null) {
                return false;
            }
            int used = pool.seatsUsed() + delta.usedDelta();
            if (used < 0 || used > pool.seatsTotal() + delta.totalDelta()) {
                return false;
            }
        }
        return true;
    }

    /** What changed, per pool, in (org, type) order; pools that end where they started are left out. */
    public List<SeatDelta> deltas() {
        List<SeatDelta> deltas = new ArrayList<>();
        new TreeMap<>(changes).forEach((key, change) -> {
            if (change[0] != 0 || change[1] != 0) {
                deltas.add(new SeatDelta(key, change[0], change[1]));
            }
        });
        return deltas;
    }

    private void change(PoolKey key, int used, int total) {
        int[] pool = seats.get(key);
        pool[0] += total;
        pool[1] += used;
        int[] change = changes.computeIfAbsent(key, k -> new int[2]);
        change[0] += used;
        change[1] += total;
    }
}
