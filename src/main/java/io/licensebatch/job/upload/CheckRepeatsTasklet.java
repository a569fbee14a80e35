package io.licensebatch.job.upload;

import io.licensebatch.domain.outcome.Reason;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway.Repeat;
import io.licensebatch.selection.SelectionGateway;

import org.springframework.batch.core.job.parameters.JobParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * After staging, looks at the upload as a whole: a learner named twice with the same target is changed once
 * (the first record) and the other records are {@code DUPLICATE_RECORD}; a learner named with different
 * targets is left alone and every one of those records is {@code CONFLICTING_RECORDS}. Then completes the
 * selection (seat snapshot, seat impact). One transaction.
 */
class CheckRepeatsTasklet extends SelectionTasklet {

    private final SelectionGateway selection;
    private final long orgId;

    CheckRepeatsTasklet(SelectionGateway selection, SelectionCompletion completion, long orgId) {
        super(completion);
        this.selection = selection;
        this.orgId = orgId;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        selection.allowParallelQueryInThisTransaction();
        selection.analyze();
        Map<Long, Reason> rejections = new TreeMap<>();
        List<Repeat> sameLearner = new ArrayList<>();
        for (Repeat repeat : selection.repeatedLearners(jobInstanceId)) {
            if (!sameLearner.isEmpty() && sameLearner.get(0).learnerId() != repeat.learnerId()) {
                judge(sameLearner, rejections);
                sameLearner.clear();
            }
            sameLearner.add(repeat);
        }
        judge(sameLearner, rejections);
        selection.reject(jobInstanceId, rejections);
        return new Selected(rejections.size(), List.of(orgId), true);
    }

    private static void judge(List<Repeat> records, Map<Long, Reason> rejections) {
        if (records.isEmpty()) {
            return;
        }
        Repeat first = records.get(0);
        boolean conflicting = records.stream().anyMatch(record -> record.action() != first.action()
                || !Objects.equals(record.targetType(), first.targetType()));
        for (Repeat record : records) {
            if (conflicting) {
                rejections.put(record.itemNo(), Reason.CONFLICTING_RECORDS);
            } else if (record != first) {
                rejections.put(record.itemNo(), Reason.DUPLICATE_RECORD);
            }
        }
    }
}
