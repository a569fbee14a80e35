package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.EndReason;
import io.licensebatch.domain.assignment.NewAssignment;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatDelta;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.outcome.Outcome;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the apply step's writer makes its changes: the platform's tables ({@link RealChanges}), or, in a dry
 * run, nowhere but the job's simulated seat pools ({@link DryRunChanges}). Chosen once per partition, so the
 * writer itself never asks whether this is a dry run.
 */
interface Changes {

    /** The named pools as last committed, without a lock (a plan made from them is checked under the lock). */
    Map<PoolKey, SeatPool> readPools(Collection<PoolKey> keys);

    /** Locks the named pools until the transaction ends, in (org, type) order. */
    Map<PoolKey, SeatPool> lockPools(Collection<PoolKey> keys);

    void moveSeats(List<SeatDelta> deltas);

    /** Ends the assignments that are still current; returns those it ended. */
    Set<Long> end(List<Long> assignmentIds, EndReason reason, String actor, Timestamp at);

    /**
     * Starts the assignments; returns the new assignment per learner (its id, or null where none is written),
     * leaving out a learner who got a current assignment from someone else in the meantime.
     */
    Map<Long, Long> start(List<NewAssignment> assignments, boolean anyUnlicensed, String actor, Timestamp at);

    /** The outcome as it is recorded: a dry run records what would have happened (WOULD_*, no assignments). */
    Outcome recorded(Outcome outcome);
}
