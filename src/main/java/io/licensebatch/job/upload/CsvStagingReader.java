package io.licensebatch.job.upload;

import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.csv.CsvFileException;
import io.licensebatch.selection.csv.CsvRecord;
import io.licensebatch.selection.csv.CsvRecordReader;
import io.licensebatch.selection.csv.CsvUpload;
import io.licensebatch.selection.csv.StagedRecord;
import io.licensebatch.selection.csv.UploadRecords;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;

/**
 * Streams an upload into staged records, checkpointing by record number: a restart reads past the records
 * its committed chunks staged (the same parser finds the same record boundaries, however many lines a
 * quoted field spans) and resumes with the next one, never re-staging or skipping a record. The file must
 * be the one the request accepted (same SHA-256).
 */
class CsvStagingReader implements ItemStreamReader<StagedRecord> {

    private static final String RECORDS_KEY = "csvStaging.records";

    private final Path file;
    private final String sha256;
    private final UploadRecords records;
    private final long total;
    private final ProgressMeter progress;
    private final long jobExecutionId;
    private CsvRecordReader reader;
    private long staged;

    CsvStagingReader(Path file, String sha256, UploadRecords records, long total, ProgressMeter progress,
            long jobExecutionId) {
        this.file = file;
        this.sha256 = sha256;
        this.records = records;
        this.total = total;
        this.progress = progress;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public void open(ExecutionContext context) {
        if (!CsvUpload.sha256Of(file).equals(sha256)) {
            throw new CsvFileException(file + " changed since the upload was accepted: its records cannot be"
                    + " staged from a different file. Upload it again as a new request.");
        }
        staged = context.getLong(RECORDS_KEY, 0);
        reader = CsvRecordReader.open(file, 0);
        try {
            reader.header();
            for (long skipped = 0; skipped < staged; skipped++) {
                reader.next();
            }
        } catch (CharacterCodingException e) {
            throw new CsvFileException(file + " is no longer UTF-8 text");
        }
        progress.start(jobExecutionId, "stage", "records", total, staged);
    }

    @Override
    public StagedRecord read() throws CharacterCodingException {
        CsvRecord record = reader.next();
        return record == null ? null : records.stage(record);
    }

    @Override
    public void update(ExecutionContext context) {
        long read = reader.recordNumber();
        progress.advance(jobExecutionId, read - staged);
        staged = read;
        context.putLong(RECORDS_KEY, staged);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
            progress.finish(jobExecutionId);
        }
    }
}
