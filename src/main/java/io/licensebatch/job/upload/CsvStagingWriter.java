package io.licensebatch.job.upload;

import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.outcome.Reason;
import io.licensebatch.selection.SelectionGateway;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.StagedRecord;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stages a chunk of records into the selection snapshot: looks their learners up (one query per
 * identifier column, with each learner's current assignment) and inserts the items in one statement.
 * The item number is the record number.
 */
class CsvStagingWriter implements ItemWriter<StagedRecord> {

    private final LearnerGateway learners;
    private final SelectionGateway selection;
    private final long jobInstanceId;
    private final long orgId;

    CsvStagingWriter(LearnerGateway learners, SelectionGateway selection, long jobInstanceId, long orgId) {
        this.learners = learners;
        this.selection = selection;
        this.jobInstanceId = jobInstanceId;
        this.orgId = orgId;
    }

    @Override
    public void write(Chunk<? extends StagedRecord> chunk) {
        Map<String, List<String>> identifiersByColumn = new HashMap<>();
        for (StagedRecord record : chunk) {
            if (record.malformed() == null) {
                identifiersByColumn.computeIfAbsent(record.identifierColumn(), column -> new ArrayList<>())
                        .add(record.identifier());
            }
        }
        Map<String, Map<String, LearnerGateway.Match>> matches = new HashMap<>();
        identifiersByColumn.forEach((column, identifiers) ->
                matches.put(column, learners.match(column, identifiers, orgId)));
        List<SelectionItem> items = new ArrayList<>(chunk.size());
        for (StagedRecord record : chunk) {
            if (record.malformed() != null) {
                items.add(new SelectionItem(record.recordNumber(), orgId, null, record.recordNumber(),
                        record.identifier(), null, null, null, null, Reason.MALFORMED_RECORD, record.malformed(),
                        null, null));
                continue;
            }
            LearnerGateway.Match match = matches.get(record.identifierColumn()).get(matchKey(record));
            items.add(new SelectionItem(record.recordNumber(), orgId, match == null ? null : match.learnerId(),
                    record.recordNumber(), record.identifier(), record.action(), record.targetType(),
                    match == null ? null : match.currentAssignmentId(), match == null ? null : match.currentType(),
                    null, null, record.note(), null));
        }
        selection.insertItems(jobInstanceId, items);
    }

    /** The key {@link LearnerGateway#match} gives the record's learner: emails lower-case, ids as numbers. */
    private static String matchKey(StagedRecord record) {
        return switch (record.identifierColumn()) {
            case CsvColumns.EMAIL -> record.identifier().toLowerCase(Locale.ROOT);
            case CsvColumns.LEARNER_ID -> String.valueOf(Long.parseLong(record.identifier()));
            default -> record.identifier();
        };
    }
}
