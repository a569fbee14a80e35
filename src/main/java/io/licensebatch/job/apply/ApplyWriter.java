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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies a chunk of decisions in the chunk's transaction: locks the seat pools it touches (in a fixed
 * order), allocates seats in item order, ends the old assignments, starts the new ones, moves the seats
 * and records one outcome per item. One statement per table per chunk.
 *
 * <p>A swap is atomic per learner: the old assignment ends and the new one starts in the same
 * transaction, and a seat is allocated before anything is ended, so nobody is left without a license for
 * lack of a seat. Seats go in item order: a seat freed by an item can serve the items after it. An
 * assignment that is no longer current when the writer gets to it (another job, an admin) is not
 * touched: the learner gets {@code REJECTED CHANGED_CONCURRENTLY}.
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
        List<Outcome> settled = new ArrayList<>();
        List<Decided> changing = new ArrayList<>();
        for (Decided decided : chunk.getItems()) {
            if (decided.decision().changesSomething()) {
                changing.add(decided);
            } else {
                settled.add(outcome(decided, decided.decision().status(), decided.decision().reason(), null, null,
                        null));
            }
        }
        outcomes.insert(jobInstanceId, jobExecutionId, now, settled);
        if (!changing.isEmpty()) {
            Map<Decided, String> failures = transaction.applyIsolatingFailures(changing, batch -> apply(batch, now));
            outcomes.insert(jobInstanceId, jobExecutionId, now, failures.entrySet().stream()
                    .map(failure -> outcome(failure.getKey(), OutcomeStatus.FAILED, null, null, null, failure.getValue()))
                    .toList());
        }
    }

    /**
     * Applies the changes of a batch of items and writes their outcomes; all or nothing. Seats go in item
     * order, and a seat freed by an item serves the items after it. That plan assumes every old assignment
     * is still current; if some turned out not to be (another job or an admin got there first), the batch
     * is rolled back to its savepoint and planned again without them: they are CHANGED_CONCURRENTLY, and
     * the seats they would have freed are not handed out.
     *
     * <p>The seat pools are hot rows that every chunk of every partition updates, and a row stays locked
     * until its transaction commits. So the plan is first made from the pools as last committed, without a
     * lock, and the pools are locked only at the very end, to check the plan still fits and to move the
     * seats: partitions then overlap for everything but that. When the check fails (another chunk took the
     * seats meanwhile), or when the plan has learners without a seat (a shortage is decided only under the
     * lock), the batch is rolled back and planned again with the pools locked first.
     */
    private void apply(List<Decided> changing, Timestamp now) {
        Set<Long> changedUnderneath = new HashSet<>();
        boolean lockFirst = false;
        while (true) {
            boolean locked = lockFirst;
            try {
                transaction.inSavepoint(() -> applyInOrder(changing, changedUnderneath, locked, now));
                return;
            } catch (ChangedUnderneath e) {
                changedUnderneath.addAll(e.itemNos);
            } catch (SeatsMoved e) {
                lockFirst = true;
            }
        }
    }

    private Void applyInOrder(List<Decided> changing, Set<Long> changedUnderneath, boolean lockFirst, Timestamp now) {
        List<Outcome> result = new ArrayList<>();
        Set<PoolKey> keys = poolKeys(changing);
        SeatLedger ledger = new SeatLedger(lockFirst ? lockPools(keys) : readPools(keys));
        List<Decided> granted = new ArrayList<>();
        for (Decided decided : changing) {
            if (changedUnderneath.contains(decided.itemNo())) {
                result.add(outcome(decided, OutcomeStatus.REJECTED, Reason.CHANGED_CONCURRENTLY, null, null, null));
            } else if (takeSeat(ledger, decided)) {
                if (decided.expectedAssignmentId() != null) {
                    leaveSourcePool(ledger, decided);
                }
                granted.add(decided);
            } else if (!lockFirst) {
                throw SeatsMoved.INSTANCE;
            } else {
                result.add(outcome(decided, OutcomeStatus.REJECTED, Reason.NO_SEATS, null, null, null));
            }
        }
        Set<Long> ended = endAssignments(granted, now);
        ChangedUnderneath.throwIfAny(granted.stream()
                .filter(decided -> decided.expectedAssignmentId() != null
                        && !ended.contains(decided.expectedAssignmentId())));
        Map<Long, Long> started = startAssignments(granted, now);
        // Only a learner who had no license can lose this race: someone licensed them since we read them.
        ChangedUnderneath.throwIfAny(granted.stream()
                .filter(decided -> !dryRun && decided.action() == Action.REASSIGN
                        && !started.containsKey(decided.learnerId())));
        for (Decided decided : granted) {
            Long endedId = decided.expectedAssignmentId();
            if (decided.action() == Action.REVOKE) {
                result.add(outcome(decided, OutcomeStatus.REVOKED, null, endedId, null, null));
            } else {
                result.add(outcome(decided, OutcomeStatus.REASSIGNED, null, endedId, started.get(decided.learnerId()),
                        null));
            }
        }
        outcomes.insert(jobInstanceId, jobExecutionId, now, result);
        if (!lockFirst && !ledger.fitsInto(lockPools(keys))) {
            throw SeatsMoved.INSTANCE;
        }
        if (dryRun) {
            pools.applySimulated(jobInstanceId, ledger.deltas());
        } else {
            pools.apply(ledger.deltas());
        }
        return null;
    }

    /** The pools changed between the unlocked read and the lock: plan the batch again, pools locked first. */
    private static final class SeatsMoved extends RuntimeException {
        static final SeatsMoved INSTANCE = new SeatsMoved();

        private SeatsMoved() {
            super("the seat pools changed while the chunk was planned; planning it again under the lock", null, false,
                    false);
        }
    }

    /** Items whose learner's license changed under the writer: plan the batch again without them. */
    private static final class ChangedUnderneath extends RuntimeException {
        private final List<Long> itemNos;

        private ChangedUnderneath(List<Long> itemNos) {
            super(itemNos.size() + " learner(s) changed underneath the chunk; planning it again", null, false, false);
            this.itemNos = itemNos;
        }

        static void throwIfAny(java.util.stream.Stream<Decided> items) {
            List<Long> itemNos = items.map(Decided::itemNo).toList();
            if (!itemNos.isEmpty()) {
                throw new ChangedUnderneath(itemNos);
            }
        }
    }

    /** The pools a batch touches, in lock order (collected unordered first: a chunk names a handful). */
    private static Set<PoolKey> poolKeys(List<Decided> changing) {
        Set<PoolKey> keys = new HashSet<>();
        for (Decided decided : changing) {
            if (decided.sourcePool() != null) {
                keys.add(decided.sourcePool());
            }
            if (decided.targetPool() != null) {
                keys.add(decided.targetPool());
            }
        }
        return new TreeSet<>(keys);
    }

    private Map<PoolKey, SeatPool> lockPools(Set<PoolKey> keys) {
        return dryRun ? pools.lockSimulated(jobInstanceId, keys) : pools.lock(keys);
    }

    private Map<PoolKey, SeatPool> readPools(Set<PoolKey> keys) {
        return dryRun ? pools.readSimulated(jobInstanceId, keys) : pools.read(keys);
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

    private void leaveSourcePool(SeatLedger ledger, Decided decided) {
        if (transferSeats) {
            ledger.shrinkWithLearner(decided.sourcePool());
        } else {
            ledger.free(decided.sourcePool(), 1);
        }
    }

    /** Ends the current assignments of the granted items; returns those it ended (all of them, in a dry run). */
    private Set<Long> endAssignments(Collection<Decided> granted, Timestamp now) {
        Set<Long> ended = new HashSet<>();
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

    private Map<Long, Long> startAssignments(List<Decided> granted, Timestamp now) {
        if (dryRun) {
            return Map.of();
        }
        List<Decided> reassigned = granted.stream().filter(decided -> decided.action() == Action.REASSIGN).toList();
        List<NewAssignment> arriving = reassigned.stream()
                .map(decided -> new NewAssignment(decided.learnerId(), decided.candidate().item().orgId(),
                        decided.candidate().item().targetType()))
                .toList();
        boolean anyUnlicensed = reassigned.stream().anyMatch(decided -> decided.expectedAssignmentId() == null);
        return assignments.start(arriving, anyUnlicensed, actor, now);
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
