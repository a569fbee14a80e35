package io.licensebatch.job.apply;

import io.licensebatch.db.SessionTuning;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.assignment.EndReason;
import io.licensebatch.domain.assignment.NewAssignment;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.license.SeatBudget;
import io.licensebatch.domain.license.SeatLedger;
import io.licensebatch.domain.outcome.Outcome;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.domain.outcome.Reason;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies a chunk of decisions in the chunk's transaction: allocates seats in item order, ends the old
 * assignments, starts the new ones, moves the seats and records one outcome per item. One statement per table
 * per chunk. Where the changes go (the platform's tables, or a dry run's simulated pools) is the
 * {@link Changes} it was made with.
 *
 * <p>A swap is atomic per learner: the old assignment ends and the new one starts in the same transaction,
 * and a seat is allocated before anything is ended, so nobody is left without a license for lack of a seat.
 * Which learners get a seat in a pool that is short is decided in selection order by the range's
 * {@link SeatBudget}, so that it does not depend on how the ranges' chunks interleave; the locked pool rows then
 * make sure, whatever else runs at the same time, that a pool never exceeds its total. An assignment that is no
 * longer current when the writer gets to it (another job, an admin) is not touched: the learner gets
 * {@code REJECTED CHANGED_CONCURRENTLY}.
 *
 * <p>A data error for one learner (a constraint, a trigger) is narrowed down to that learner, who gets
 * {@code FAILED} with the database's words, while the rest of the chunk is applied.
 */
class ApplyWriter implements ItemWriter<Decided> {

    private final Changes changes;
    private final OutcomeGateway outcomes;
    private final ChunkTransaction transaction;
    private final SessionTuning session;
    private final long jobInstanceId;
    private final long jobExecutionId;
    private final boolean transferSeats;
    private final String actor;
    /** The range's seat budget as of the chunks written so far. */
    private SeatBudget budget;

    /**
     * @param transferSeats seats move with their learners: the target pool grows, the source pool shrinks
     * @param budget        the range's seat budget, resumed to where its committed chunks left it
     */
    ApplyWriter(Changes changes, OutcomeGateway outcomes, ChunkTransaction transaction, SessionTuning session,
            long jobInstanceId, long jobExecutionId, boolean transferSeats, SeatBudget budget) {
        this.changes = changes;
        this.outcomes = outcomes;
        this.transaction = transaction;
        this.session = session;
        this.jobInstanceId = jobInstanceId;
        this.jobExecutionId = jobExecutionId;
        this.transferSeats = transferSeats;
        this.actor = "job-execution:" + jobExecutionId;
        this.budget = budget;
    }

    @Override
    public void write(Chunk<? extends Decided> chunk) {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        List<Decided> items = new ArrayList<>(chunk.getItems());
        session.commitWithoutWaitingForTheDisk();
        try {
            budget = applyAll(items, budget, now);
        } catch (DataIntegrityViolationException | UncategorizedSQLException batchFailure) {
            budget = oneByOne(items, now);
        }
    }

    /**
     * Applies the items and writes their outcomes, all or nothing, and returns the budget after them. The plan
     * assumes every old assignment is still current; if some turned out not to be (another job or an admin got
     * there first), the items are rolled back to their savepoint and planned again without them: they are
     * CHANGED_CONCURRENTLY, and the seats they would have freed are not handed out.
     *
     * <p>The seat pools are hot rows that every chunk of every partition updates, and a row stays locked until
     * its transaction commits. So the plan is first made from the pools as last committed, without a lock, and
     * the pools are locked only at the very end, to check the plan still fits and to move the seats: partitions
     * then overlap for everything but that. When the check fails (another chunk took the seats meanwhile), or
     * when the plan has a learner the pool has no seat for (a shortage is decided only under the lock), the
     * items are rolled back and planned again with the pools locked first.
     */
    private SeatBudget applyAll(List<Decided> items, SeatBudget from, Timestamp now) {
        Set<Long> changedUnderneath = new HashSet<>();
        boolean lockFirst = false;
        while (true) {
            boolean locked = lockFirst;
            try {
                return transaction.inSavepoint(() -> applyInOrder(items, from.copy(), changedUnderneath, locked, now));
            } catch (ChangedUnderneath e) {
                changedUnderneath.addAll(e.itemNos);
            } catch (SeatsMoved e) {
                lockFirst = true;
            }
        }
    }

    /**
     * A data error stopped the chunk: each item alone, in order, so that only the ones that cause it fail. An
     * item that fails still counts as the arrival it was (the budget follows item order, not what succeeded).
     */
    private SeatBudget oneByOne(List<Decided> items, Timestamp now) {
        SeatBudget running = budget;
        List<Outcome> failed = new ArrayList<>();
        for (Decided decided : items) {
            try {
                running = applyAll(List.of(decided), running, now);
            } catch (DataIntegrityViolationException | UncategorizedSQLException itemFailure) {
                running = running.copy();
                if (decided.item().arrivesInTarget()) {
                    running.arrives(decided.targetPool());
                }
                failed.add(Outcome.failed(decided.item(), decided.candidate().learner().currentType(),
                        ChunkTransaction.describe(itemFailure)));
            }
        }
        outcomes.insert(jobInstanceId, jobExecutionId, now, failed.stream().map(changes::recorded).toList());
        return running;
    }

    private SeatBudget applyInOrder(List<Decided> items, SeatBudget budget, Set<Long> changedUnderneath,
            boolean lockFirst, Timestamp now) {
        List<Outcome> result = new ArrayList<>();
        Set<PoolKey> keys = poolKeys(items);
        SeatLedger ledger = new SeatLedger(lockFirst ? changes.lockPools(keys) : changes.readPools(keys));
        List<Decided> granted = new ArrayList<>();
        for (Decided decided : items) {
            SelectionItem item = decided.item();
            boolean mayTakeSeat = !item.arrivesInTarget() || budget.arrives(decided.targetPool());
            String current = decided.candidate().learner().currentType();
            if (decided.decision().reason() == Reason.LEARNER_IN_OTHER_ORG) {
                result.add(Outcome.inOtherOrg(item, decided.detail()));
            } else if (!decided.decision().changesSomething()) {
                result.add(Outcome.settled(item, current, decided.decision().status(), decided.decision().reason(),
                        decided.detail()));
            } else if (changedUnderneath.contains(item.itemNo())) {
                result.add(Outcome.settled(item, current, OutcomeStatus.REJECTED, Reason.CHANGED_CONCURRENTLY,
                        "the learner's license changed while this chunk was applied; retry-failed picks it up"));
            } else if (decided.action() == Action.REASSIGN && !mayTakeSeat) {
                result.add(Outcome.rejected(item, current, Reason.NO_SEATS, "the " + item.targetType() + " pool's free"
                        + " seats went to learners before this one in the selection (top it up: license-batch pools"
                        + " set; then retry-failed)"));
            } else if (decided.action() == Action.REASSIGN && !takeSeat(ledger, decided)) {
                if (!lockFirst) {
                    throw SeatsMoved.INSTANCE;
                }
                result.add(Outcome.rejected(item, current, Reason.NO_SEATS, "the " + item.targetType() + " pool is"
                        + " full (others took its free seats while this run went on; top it up: license-batch pools"
                        + " set; then retry-failed)"));
            } else {
                if (decided.action() == Action.REASSIGN) {
                    budget.took(decided.targetPool());
                }
                if (decided.expectedAssignmentId() != null) {
                    leaveSourcePool(ledger, decided);
                    budget.freed(decided.sourcePool());
                }
                granted.add(decided);
            }
        }
        Set<Long> ended = endAssignments(granted, now);
        ChangedUnderneath.throwIfAny(granted.stream()
                .filter(decided -> decided.expectedAssignmentId() != null
                        && !ended.contains(decided.expectedAssignmentId())));
        Map<Long, Long> started = startAssignments(granted, now);
        // Only a learner who had no license can lose this race: someone licensed them since we read them.
        ChangedUnderneath.throwIfAny(granted.stream()
                .filter(decided -> decided.action() == Action.REASSIGN && !started.containsKey(decided.learnerId())));
        for (Decided decided : granted) {
            String previous = decided.candidate().learner().currentType();
            result.add(decided.action() == Action.REVOKE
                    ? Outcome.revoked(decided.item(), previous, decided.expectedAssignmentId())
                    : Outcome.reassigned(decided.item(), previous, decided.expectedAssignmentId(),
                            started.get(decided.learnerId())));
        }
        outcomes.insert(jobInstanceId, jobExecutionId, now, result.stream().map(changes::recorded).toList());
        if (!lockFirst && !ledger.fitsInto(changes.lockPools(keys))) {
            throw SeatsMoved.INSTANCE;
        }
        changes.moveSeats(ledger.deltas());
        return budget;
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

    /** The pools the changing items touch, in lock order (collected unordered first: a chunk names a handful). */
    private static Set<PoolKey> poolKeys(List<Decided> items) {
        Set<PoolKey> keys = new HashSet<>();
        for (Decided decided : items) {
            if (!decided.decision().changesSomething()) {
                continue;
            }
            if (decided.sourcePool() != null) {
                keys.add(decided.sourcePool());
            }
            if (decided.targetPool() != null) {
                keys.add(decided.targetPool());
            }
        }
        return new TreeSet<>(keys);
    }

    private boolean takeSeat(SeatLedger ledger, Decided decided) {
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

    /** Ends the current assignments of the granted items; returns those it ended. */
    private Set<Long> endAssignments(List<Decided> granted, Timestamp now) {
        Set<Long> ended = new HashSet<>();
        for (Action action : Action.values()) {
            List<Long> ids = granted.stream()
                    .filter(decided -> decided.action() == action && decided.expectedAssignmentId() != null)
                    .map(Decided::expectedAssignmentId)
                    .toList();
            if (!ids.isEmpty()) {
                EndReason reason = action == Action.REVOKE ? EndReason.REVOKED : EndReason.REASSIGNED;
                ended.addAll(changes.end(ids, reason, actor, now));
            }
        }
        return ended;
    }

    private Map<Long, Long> startAssignments(List<Decided> granted, Timestamp now) {
        List<Decided> reassigned = granted.stream().filter(decided -> decided.action() == Action.REASSIGN).toList();
        if (reassigned.isEmpty()) {
            return Map.of();
        }
        List<NewAssignment> arriving = reassigned.stream()
                .map(decided -> new NewAssignment(decided.learnerId(), decided.item().orgId(),
                        decided.item().targetType()))
                .toList();
        boolean anyUnlicensed = reassigned.stream().anyMatch(decided -> decided.expectedAssignmentId() == null);
        return changes.start(arriving, anyUnlicensed, actor, now);
    }
}
