package io.licensebatch.selection;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatPool;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a selection would do to seats, computed before anything changes: per pool, the learners who
 * would leave it and arrive in it, and how many would find no seat ({@code NO_SEATS}).
 */
public final class SeatImpact {

    private SeatImpact() {
    }

    /** Selected learners moving from one type (null: no license) to a target (null: revoke). */
    public record Flow(long orgId, String fromType, Action action, String targetType, long learners) {
    }

    /**
     * One pool's projection.
     *
     * @param seatsMoveWithLearners a seat transfer: a learner who leaves takes a seat out of the pool's total,
     *                              one who arrives brings one in, so nobody can lack a seat
     */
    public record Line(PoolKey key, boolean poolExists, int seatsTotal, int seatsUsed, long leaving, long arriving,
            boolean seatsMoveWithLearners) {

        public long projectedUsed() {
            return seatsUsed - leaving + arriving;
        }

        public long projectedTotal() {
            return seatsMoveWithLearners ? seatsTotal - leaving + arriving : seatsTotal;
        }

        /**
         * Learners beyond the free seats: at most this many would be rejected with NO_SEATS. None where there is no
         * pool: those learners are rejected for that (NO_POOL, or UNKNOWN_LICENSE_TYPE for a type that does not
         * exist), never for seats.
         */
        public long shortfall() {
            return poolExists ? Math.max(0, projectedUsed() - projectedTotal()) : 0;
        }
    }

    /**
     * @param seatsMoveWithLearners a seat transfer: totals follow the learners, and a target pool the org lacks
     *                              counts as the empty one the run creates
     */
    public static List<Line> of(Collection<Flow> flows, Collection<SeatPool> pools, boolean seatsMoveWithLearners) {
        Map<PoolKey, long[]> moves = new TreeMap<>();
        for (Flow flow : flows) {
            boolean stays = flow.action() == Action.REASSIGN && flow.targetType().equals(flow.fromType());
            if (stays) {
                continue;
            }
            if (flow.fromType() != null) {
                moves.computeIfAbsent(new PoolKey(flow.orgId(), flow.fromType()), key -> new long[2])[0] += flow.learners();
            }
            if (flow.action() == Action.REASSIGN) {
                moves.computeIfAbsent(new PoolKey(flow.orgId(), flow.targetType()), key -> new long[2])[1] += flow.learners();
            }
        }
        Map<PoolKey, SeatPool> poolByKey = new TreeMap<>();
        pools.forEach(pool -> poolByKey.put(pool.key(), pool));
        return moves.entrySet().stream().map(entry -> {
            SeatPool pool = poolByKey.get(entry.getKey());
            // A seat transfer creates the target pools it lacks, empty (a dry run only simulates them).
            boolean created = pool == null && seatsMoveWithLearners && entry.getValue()[0] == 0;
            return new Line(entry.getKey(), pool != null || created, pool == null ? 0 : pool.seatsTotal(),
                    pool == null ? 0 : pool.seatsUsed(), entry.getValue()[0], entry.getValue()[1], seatsMoveWithLearners);
        }).toList();
    }
}
