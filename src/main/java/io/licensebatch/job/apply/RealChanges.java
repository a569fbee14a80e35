package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.assignment.EndReason;
import io.licensebatch.domain.assignment.NewAssignment;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatDelta;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.Outcome;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The changes of a real run: assignments ended and started, seats moved in the platform's pools. */
final class RealChanges implements Changes {

    private final SeatPoolGateway pools;
    private final AssignmentGateway assignments;

    RealChanges(SeatPoolGateway pools, AssignmentGateway assignments) {
        this.pools = pools;
        this.assignments = assignments;
    }

    @Override
    public Map<PoolKey, SeatPool> readPools(Collection<PoolKey> keys) {
        return pools.read(keys);
    }

    @Override
    public Map<PoolKey, SeatPool> lockPools(Collection<PoolKey> keys) {
        return pools.lock(keys);
    }

    @Override
    public void moveSeats(List<SeatDelta> deltas) {
        pools.apply(deltas);
    }

    @Override
    public Set<Long> end(List<Long> assignmentIds, EndReason reason, String actor, Timestamp at) {
        return assignments.end(assignmentIds, reason, actor, at);
    }

    @Override
    public Map<Long, Long> start(List<NewAssignment> arriving, boolean anyUnlicensed, String actor, Timestamp at) {
        return assignments.start(arriving, anyUnlicensed, actor, at);
    }

    @Override
    public Outcome recorded(Outcome outcome) {
        return outcome;
    }
}
