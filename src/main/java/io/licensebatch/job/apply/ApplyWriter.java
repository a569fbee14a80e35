package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.assignment.EndReason;
import io.licensebatch.domain.assignment.NewAssignment;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatLedger;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.Outcome;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.domain.outcome.Reason;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies a chunk of decisions in the chunk's transaction: locks the seat pools it touches (in a fixed
 * order), allocates seats in item order, ends the old assignments, starts the new ones, moves the seats
 * and records one outcome per item. One statement per table per chunk.
 *
 * <p>A swap is atomic per learner: the old assignment ends and the new one starts in the same
 * transaction, and a seat is allocated before anything is ended, so nobody is left without a license for
 * lack of a seat. An assignment that is no longer current when the writer gets to it (another job, an
 * admin) is not touched: the learner gets {@code REJECTED CHANGED_CONCURRENTLY}.
 *
 * <p>In a dry run nothing but the outcomes is written: seats come from the job's simulated pools.
 */
class ApplyWriter implements ItemWriter<Decided> {

    private final SeatPoolGateway pools;
    private final AssignmentGateway assignments;
    private final OutcomeGateway outcomes;
    private final ChunkTransaction transaction;
    private final long jobInstanceId;
    private final long jobExecutionId;
    private final boolean dryRun;
    private final boolean transferSeats;
    private final String actor;

    ApplyWriter(SeatPoolGateway pools, AssignmentGateway assignments, OutcomeGateway outcomes,
            ChunkTransaction transaction, long jobInstanceId, long jobExecutionId, boolean dryRun,
            boolean transferSeats) {
        this.pools = pools;
        this.assignments = assignments;
        this.outcomes = outcomes;
        this.transaction = transaction;
        this.jobInstanceId = jobInstanceId;
        this.jobExecutionId = jobExecutionId;
        this.dryRun = dryRun;
        this.transferSeats = transferSeats;
        this.actor = "job-execution:" + jobExecutionId;
    }

    @Override
    public void write(Chunk<? extends Decided> chunk) {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        Map<Long, Outcome> written = new TreeMap<>();
        List<Decided> changing = new ArrayList<>();
        for (Decided decided : chunk.getItems()) {
            if (decided.decision().changesSomething()) {
                changing.add(decided);
            } else {
                written.put(decided.itemNo(), outcome(decided, decided.decision().status(),
                        decided.decision().reason(), null, null, null));
            }
        }
        if (!changing.isEmpty()) {
            transaction.applyIsolatingFailures(changing, batch -> apply(batch, now),
                    (decided, failure) -> outcome(decided, OutcomeStatus.FAILED, null, null, null, failure))
                    .forEach(outcome -> written.put(outcome.itemNo(), outcome));
        }
        outcomes.insert(jobInstanceId, jobExecutionId, now, written.values());
    }

    /** Applies the changes of a batch of items and returns their outcomes; all or nothing. */
    private List<Outcome> apply(List<Decided> changing, Timestamp now) {
        List<Outcome> result = new ArrayList<>();
        SeatLedger ledger = new SeatLedger(lockPools(changing));
        List<Decided> confirmed = new ArrayList<>();
        List<Decided> pending = changing;
        while (!pending.isEmpty()) {
            List<Decided> granted = new ArrayList<>();
            List<Decided> deferred = new ArrayList<>();
            for (Decided decided : pending) {
                (takeSeat(ledger, decided) ? granted : deferred).add(decided);
            }
            Set<Long> ended = endAssignments(granted, now);
            boolean seatsFreed = false;
            for (Decided decided : granted) {
                Long expected = decided.expectedAssignmentId();
                if (expected != null && !ended.contains(expected)) {
                    giveSeatBack(ledger, decided);
                    result.add(outcome(decided, OutcomeStatus.REJECTED, Reason.CHANGED_CONCURRENTLY, null, null, null));
                } else {
                    if (expected != null) {
                        leaveSourcePool(ledger, decided);
                        seatsFreed = true;
                    }
                    confirmed.add(decided);
                }
            }
            // Seats freed by this round's learners may fit learners that found none: one more round for them.
            if (!seatsFreed) {
                deferred.forEach(decided -> result.add(
                        outcome(decided, OutcomeStatus.REJECTED, Reason.NO_SEATS, null, null, null)));
                break;
            }
            pending = deferred;
        }
        Map<Long, Long> started = startAssignments(confirmed, now);
        for (Decided decided : confirmed) {
            Long ended = decided.expectedAssignmentId();
            if (decided.action() == Action.REVOKE) {
                result.add(outcome(decided, OutcomeStatus.REVOKED, null, ended, null, null));
            } else if (dryRun || started.containsKey(decided.learnerId())) {
                result.add(outcome(decided, OutcomeStatus.REASSIGNED, null, ended, started.get(decided.learnerId()),
                        null));
            } else if (ended == null) {
                // Someone gave this learner (who had no license) a license since we read them.
                giveSeatBack(ledger, decided);
                result.add(outcome(decided, OutcomeStatus.REJECTED, Reason.CHANGED_CONCURRENTLY, null, null, null));
            } else {
                throw new IllegalStateException("learner " + decided.learnerId() + " got a current assignment while"
                        + " this transaction was replacing theirs: the one-current-assignment index is missing");
            }
        }
        if (dryRun) {
            pools.applySimulated(jobInstanceId, ledger.deltas());
        } else {
            pools.apply(ledger.deltas());
        }
        return result;
    }

    private Map<PoolKey, SeatPool> lockPools(List<Decided> changing) {
        Set<PoolKey> keys = new TreeSet<>();
        for (Decided decided : changing) {
            if (decided.sourcePool() != null) {
                keys.add(decided.sourcePool());
            }
            if (decided.targetPool() != null) {
                keys.add(decided.targetPool());
            }
        }
        return dryRun ? pools.lockSimulated(jobInstanceId, keys) : pools.lock(keys);
    }

    private boolean takeSeat(SeatLedger ledger, Decided decided) {
        if (decided.action() == Action.REVOKE) {
            return true;
        }
        if (transferSeats) {
            ledger.growWithLearner(decided.targetPool());
            return true;
        }
        return ledger.take(decided.targetPool());
    }

    private void giveSeatBack(SeatLedger ledger, Decided decided) {
        if (decided.action() == Action.REVOKE) {
            return;
        }
        if (transferSeats) {
            ledger.shrinkWithLearner(decided.targetPool());
        } else {
            ledger.free(decided.targetPool(), 1);
        }
    }

    private void leaveSourcePool(SeatLedger ledger, Decided decided) {
        if (transferSeats) {
            ledger.shrinkWithLearner(decided.sourcePool());
        } else {
            ledger.free(decided.sourcePool(), 1);
        }
    }

    /** Ends the current assignments of the granted items; returns those it ended (all of them, in a dry run). */
    private Set<Long> endAssignments(Collection<Decided> granted, Timestamp now) {
        Set<Long> ended = new TreeSet<>();
        for (Action action : Action.values()) {
            List<Long> ids = granted.stream()
                    .filter(decided -> decided.action() == action && decided.expectedAssignmentId() != null)
                    .map(Decided::expectedAssignmentId)
                    .toList();
            if (dryRun) {
                ended.addAll(ids);
            } else {
                EndReason reason = action == Action.REVOKE ? EndReason.REVOKED : EndReason.REASSIGNED;
                ended.addAll(assignments.end(ids, reason, actor, now));
            }
        }
        return ended;
    }

    private Map<Long, Long> startAssignments(List<Decided> confirmed, Timestamp now) {
        if (dryRun) {
            return Map.of();
        }
        List<NewAssignment> arriving = confirmed.stream()
                .filter(decided -> decided.action() == Action.REASSIGN)
                .map(decided -> new NewAssignment(decided.learnerId(), decided.candidate().item().orgId(),
                        decided.candidate().item().targetType()))
                .toList();
        return assignments.start(arriving, actor, now);
    }

    private Outcome outcome(Decided decided, OutcomeStatus status, Reason reason, Long endedAssignmentId,
            Long newAssignmentId, String failure) {
        SelectionItem item = decided.candidate().item();
        boolean reassigned = status == OutcomeStatus.REASSIGNED;
        OutcomeStatus recorded = dryRun ? status.dryRun() : status;
        String detail = failure != null ? failure : item.detail();
        return new Outcome(item.itemNo(), item.orgId(), item.learnerId(), item.recordNumber(), item.identifier(),
                decided.candidate().learner().currentType(), reassigned ? item.targetType() : null, recorded, reason,
                detail, item.note(), dryRun ? null : endedAssignmentId, dryRun ? null : newAssignmentId,
                item.sourceExecutionId());
    }
}
