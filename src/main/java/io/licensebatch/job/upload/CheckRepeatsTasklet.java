package io.licensebatch.job.upload;

import io.licensebatch.db.SessionTuning;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.batch.core.job.parameters.JobParameters;

import java.util.List;

/**
 * After staging, looks at the upload as a whole: a learner named twice with the same target is changed once
 * (the first record) and the other records are {@code DUPLICATE_RECORD}; a learner named with different
 * targets is left alone and every one of those records is {@code CONFLICTING_RECORDS}. The database judges
 * them in one statement, so a file of a million records naming one learner takes no more memory than any other.
 * Then completes the selection (seat snapshot, seat impact). One transaction.
 */
class CheckRepeatsTasklet extends SelectionTasklet {

    private final SelectionSnapshot snapshot;
    private final SessionTuning tuning;
    private final long orgId;

    CheckRepeatsTasklet(SelectionSnapshot snapshot, SessionTuning tuning, SelectionCompletion completion, long orgId) {
        super(completion);
        this.snapshot = snapshot;
        this.tuning = tuning;
        this.orgId = orgId;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        tuning.allowParallelQueryInThisTransaction();
        tuning.analyze();
        int rejected = snapshot.markRepeats(jobInstanceId);
        return new Selected(rejected, List.of(orgId), true);
    }
}
