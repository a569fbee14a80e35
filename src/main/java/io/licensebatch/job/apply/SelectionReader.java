package io.licensebatch.job.apply;

import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.selection.SelectionReads;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads one partition of a job instance's selection snapshot with keyset paging on item_no, a page per
 * chunk, with each learner's current state joined in (one query per page, never one per learner).
 *
 * <p>Restart safety does not hang on the checkpoint: a (re)opened reader starts after the last item of its
 * range that has an outcome (the outcome rows are the process indicator, committed with each chunk), so even
 * a checkpoint reset to zero (see the Spring Batch 6 notes on stop) repeats nothing. The checkpoint in the
 * step's context says the same, for people and tools that read it.
 */
class SelectionReader implements ItemStreamReader<Candidate> {

    private static final String LAST_ITEM_KEY = "selectionReader.lastItemNo";

    private final SelectionReads selection;
    private final long jobInstanceId;
    private final long firstItemNo;
    private final long lastItemNo;
    private final int pageSize;
    private final Deque<Candidate> page = new ArrayDeque<>();
    private long lastReadItemNo;
    private boolean exhausted;

    SelectionReader(SelectionReads selection, long jobInstanceId, long firstItemNo, long lastItemNo, int pageSize) {
        this.selection = selection;
        this.jobInstanceId = jobInstanceId;
        this.firstItemNo = firstItemNo;
        this.lastItemNo = lastItemNo;
        this.pageSize = pageSize;
    }

    @Override
    public void open(ExecutionContext context) {
        lastReadItemNo = selection.lastDone(jobInstanceId, firstItemNo, lastItemNo);
        page.clear();
        exhausted = false;
    }

    @Override
    public Candidate read() {
        if (page.isEmpty() && !exhausted) {
            page.addAll(selection.page(jobInstanceId, lastReadItemNo, lastItemNo, pageSize));
            exhausted = page.size() < pageSize;
        }
        Candidate next = page.poll();
        if (next != null) {
            lastReadItemNo = next.item().itemNo();
        }
        return next;
    }

    @Override
    public void update(ExecutionContext context) {
        // Items read but not yet written sit in the current chunk; its outcomes commit with this checkpoint.
        context.putLong(LAST_ITEM_KEY, lastReadItemNo);
    }
}
