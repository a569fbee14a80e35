package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.EndReason;
import io.licensebatch.domain.assignment.NewAssignment;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatDelta;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.Outcome;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes of a dry run: no assignment is touched; seats are taken from and freed in the job's simulated
 * pools ({@code job_seat_pool}, as the selection found them), so that the outcomes say exactly what a real run
 * would have done, NO_SEATS included.
 */
final class DryRunChanges implements Changes {

    private final SeatPoolGateway pools;
    private final long jobInstanceId;

    DryRunChanges(SeatPoolGateway pools, long jobInstanceId) {
        this.pools = pools;
        this.jobInstanceId = jobInstanceId;
    }

    @Override
    public Map<PoolKey, SeatPool> readPools(Collection<PoolKey> keys) {
        return pools.readSimulated(jobInstanceId, keys);
    }

    @Override
    public Map<PoolKey, SeatPool> lockPools(Collection<PoolKey> keys) {
        return pools.lockSimulated(jobInstanceId, keys);
    }

    @Override
    public void moveSeats(List<SeatDelta> deltas) {
        pools.applySimulated(jobInstanceId, deltas);
    }

    @Override
    public Set<Long> end(List<Long> assignmentIds, EndReason reason, String actor, Timestamp at) {
        return new HashSet<>(assignmentIds);
    }

    @Override
    public Map<Long, Long> start(List<NewAssignment> arriving, boolean anyUnlicensed, String actor, Timestamp at) {
        Map<Long, Long> none = new HashMap<>();
        arriving.forEach(assignment -> none.put(assignment.learnerId(), null));
        return none;
    }

    @Override
    public Outcome recorded(Outcome outcome) {
        return outcome.asDryRun();
    }
}
