package io.licensebatch.job.upload;

import io.licensebatch.job.common.ProgressMeter;
import io.licensebatch.selection.csv.CsvFileException;
import io.licensebatch.selection.csv.CsvRecord;
import io.licensebatch.selection.csv.CsvRecordReader;
import io.licensebatch.selection.csv.FileBlocks;
import io.licensebatch.selection.csv.StagedRecord;
import io.licensebatch.selection.csv.UploadRecords;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongSupplier;

/**
 * Streams an upload into staged records. A (re)opened reader resumes after the last record of its range that
 * is staged already (the staged rows are the process indicator, committed with each chunk, whatever a
 * checkpoint says): it reads past the records before it (the same parser finds the same record boundaries,
 * however many lines a quoted field spans) and goes on with the next one, never re-staging or skipping a
 * record. The file is read through the fingerprint the request accepted ({@link FileBlocks}): a byte that
 * differs from the accepted file fails the step before any record it is part of is staged.
 *
 * <p>Each partition stages one range of record numbers. Parsing runs one step ahead, on a thread of its
 * own, into a small bounded queue: while a chunk is written to the database, the next one is read from the
 * file. The checkpoint counts only the records handed to chunks, never the ones waiting in the queue.
 */
class CsvStagingReader implements ItemStreamReader<StagedRecord> {

    static final String RECORDS_KEY = "csvStaging.records";
    private static final int AHEAD = 4096;
    private static final Object END = new Object();

    private final Path file;
    private final FileBlocks accepted;
    private final LongSupplier lastStaged;
    private final UploadRecords records;
    private final long firstRecord;
    private final long lastRecord;
    private final ProgressMeter progress;
    private final long jobExecutionId;
    private final BlockingQueue<Object> ahead = new ArrayBlockingQueue<>(AHEAD);
    private Thread parser;
    private volatile boolean closing;
    private boolean finished;
    private long handedOut;
    private long checkpointed;

    /** @param lastStaged the last record of the range that is staged already (firstRecord - 1 for none) */
    CsvStagingReader(Path file, FileBlocks accepted, LongSupplier lastStaged, UploadRecords records, long firstRecord,
            long lastRecord, ProgressMeter progress, long jobExecutionId) {
        this.file = file;
        this.accepted = accepted;
        this.lastStaged = lastStaged;
        this.records = records;
        this.firstRecord = firstRecord;
        this.lastRecord = lastRecord;
        this.progress = progress;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public void open(ExecutionContext context) {
        checkpointed = lastStaged.getAsLong() - (firstRecord - 1);
        handedOut = checkpointed;
        closing = false;
        finished = false;
        ahead.clear();
        long skip = firstRecord - 1 + checkpointed;
        parser = new Thread(() -> parse(skip), "csv-staging-parser-" + firstRecord);
        parser.setDaemon(true);
        parser.start();
    }

    /** The parsing thread: every staged record in order, then END, or the failure that stopped it. */
    private void parse(long skip) {
        Object last = END;
        try (CsvRecordReader reader = CsvRecordReader.open(file, accepted)) {
            reader.header();
            for (long skipped = 0; skipped < skip; skipped++) {
                reader.next();
            }
            for (CsvRecord record = reader.next(); record != null && record.number() <= lastRecord && !closing;
                    record = reader.next()) {
                ahead.put(records.stage(record));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (CharacterCodingException e) {
            last = new CsvFileException(file + " is no longer UTF-8 text");
        } catch (RuntimeException e) {
            last = e;
        } catch (Error e) {
            // out of memory, say: the step must fail with it, not wait forever for a record that never comes
            last = new IllegalStateException("the CSV parsing thread failed: " + e, e);
        }
        try {
            ahead.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public StagedRecord read() throws InterruptedException {
        if (finished) {
            return null;
        }
        Object next = ahead.take();
        if (next == END) {
            finished = true;
            return null;
        }
        if (next instanceof RuntimeException failure) {
            finished = true;
            throw failure;
        }
        handedOut++;
        return (StagedRecord) next;
    }

    @Override
    public void update(ExecutionContext context) {
        progress.advance(jobExecutionId, handedOut - checkpointed);
        checkpointed = handedOut;
        context.putLong(RECORDS_KEY, checkpointed);
    }

    @Override
    public void close() {
        if (parser != null) {
            closing = true;
            parser.interrupt();
            try {
                parser.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            parser = null;
        }
    }
}
