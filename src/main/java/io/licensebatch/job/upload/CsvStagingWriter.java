package io.licensebatch.job.upload;

import io.licensebatch.db.SessionTuning;
import io.licensebatch.selection.SelectionSnapshot;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.StagedRecord;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Stages a chunk of records into the selection snapshot, looking their learners up (with each learner's current
 * assignment) in the same statement: one statement per identifier column the chunk uses (an upload names its
 * learners by one column, so one in practice). The item number is the record number.
 */
class CsvStagingWriter implements ItemWriter<StagedRecord> {

    private final SelectionSnapshot selection;
    private final SessionTuning session;
    private final long jobInstanceId;
    private final long orgId;

    CsvStagingWriter(SelectionSnapshot selection, SessionTuning session, long jobInstanceId, long orgId) {
        this.selection = selection;
        this.session = session;
        this.jobInstanceId = jobInstanceId;
        this.orgId = orgId;
    }

    @Override
    public void write(Chunk<? extends StagedRecord> chunk) {
        session.commitWithoutWaitingForTheDisk();
        // Malformed records have no identifier column: they go with the first group, without a key.
        String firstColumn = chunk.getItems().stream().map(StagedRecord::identifierColumn).filter(Objects::nonNull)
                .findFirst().orElse(CsvColumns.EMAIL);
        Map<String, List<StagedRecord>> byColumn = new LinkedHashMap<>();
        for (StagedRecord record : chunk) {
            String column = record.malformed() != null ? firstColumn : record.identifierColumn();
            byColumn.computeIfAbsent(column, key -> new ArrayList<>()).add(record);
        }
        byColumn.forEach((column, records) -> selection.insertStaged(jobInstanceId, orgId, column, records,
                records.stream().map(CsvStagingWriter::matchKey).toList()));
    }

    /**
     * The key a record's learner is looked up by (emails lower-case, ids as numbers), when it is not the
     * identifier itself (then null: most keys are, and a chunk of them is not sent twice); none when malformed.
     */
    private static String matchKey(StagedRecord record) {
        if (record.malformed() != null) {
            return null;
        }
        String key = switch (record.identifierColumn()) {
            case CsvColumns.EMAIL -> record.identifier().toLowerCase(Locale.ROOT);
            case CsvColumns.LEARNER_ID -> String.valueOf(Long.parseLong(record.identifier()));
            default -> record.identifier();
        };
        return key.equals(record.identifier()) ? null : key;
    }
}
