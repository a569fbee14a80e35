package io.licensebatch.job.change;

import io.licensebatch.request.ChangeRequest;
import io.licensebatch.selection.LearnerFilter;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Takes the snapshot of a filter selection. Inserting the snapshot is most of a selection's time and one
 * statement runs on one core, so a large org is taken in learner-id ranges at once (on PostgreSQL): the
 * first range in the selection step's own transaction, each other one on a connection and in a transaction
 * of its own, which ends before the step's does.
 *
 * <p>The selection counts only once it is marked taken, in the step's transaction. If an attempt fails after
 * some range committed, the next attempt takes the selection again from scratch: each range first drops
 * what an earlier attempt left in it, and the ranges always cover every learner id. Each range is read as
 * its statement starts; the ranges are disjoint by learner id, so every learner is read once, consistently.
 */
class FilterSelection {

    private final SelectionSnapshot selection;
    private final TransactionTemplate ownTransaction;
    private final Executor executor;
    private final int ranges;
    private final int minRangeLearners;

    /**
     * @param ownTransaction    a template that starts a new transaction (for the ranges on other threads)
     * @param ranges            how many ranges a large org is taken in at once
     * @param minRangeLearners  an org is split only when each range spans at least this many learner ids
     */
    FilterSelection(SelectionSnapshot selection, TransactionTemplate ownTransaction, Executor executor, int ranges,
            int minRangeLearners) {
        this.selection = selection;
        this.ownTransaction = ownTransaction;
        this.executor = executor;
        this.ranges = ranges;
        this.minRangeLearners = minRangeLearners;
    }

    /** Snapshots the request's learners; returns how many were selected. */
    long insert(long jobInstanceId, ChangeRequest request, LearnerFilter filter, String note) {
        List<long[]> bounds = ranges(selection.learnerIdSpan(request.orgId()).orElse(null));
        List<CompletableFuture<Integer>> others = new ArrayList<>();
        for (long[] range : bounds.subList(1, bounds.size())) {
            others.add(CompletableFuture.supplyAsync(() -> ownTransaction.execute(status -> selection.insertFiltered(
                    jobInstanceId, request.orgId(), request.action(), request.targetType(), note, filter, range[0],
                    range[1])), executor));
        }
        long selected = 0;
        RuntimeException failure = null;
        try {
            long[] first = bounds.get(0);
            selected += selection.insertFiltered(jobInstanceId, request.orgId(), request.action(),
                    request.targetType(), note, filter, first[0], first[1]);
        } catch (RuntimeException e) {
            failure = e;
        }
        // Every other range ends (commits or rolls back) before the step's transaction does.
        for (CompletableFuture<Integer> other : others) {
            try {
                selected += other.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return selected;
    }

    /**
     * The learner-id ranges, inclusive, covering every id: the org's span cut into equal parts when it is
     * large enough, else one range.
     */
    List<long[]> ranges(long[] span) {
        long width = span == null ? 0 : span[1] - span[0] + 1;
        int parts = (int) Math.max(1, Math.min(ranges, width / minRangeLearners));
        List<long[]> result = new ArrayList<>();
        long from = Long.MIN_VALUE;
        for (int part = 1; part < parts; part++) {
            long next = span[0] + width / parts * part;
            result.add(new long[] {from, next - 1});
            from = next;
        }
        result.add(new long[] {from, Long.MAX_VALUE});
        return result;
    }
}
