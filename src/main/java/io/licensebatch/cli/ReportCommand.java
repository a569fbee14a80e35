package io.licensebatch.cli;

import io.licensebatch.console.TerminalSafe;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import io.licensebatch.console.Json;
import io.licensebatch.console.SpreadsheetSafe;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.domain.outcome.Reason;
import io.licensebatch.job.common.JobRunner;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "report", header = "Every outcome of a run, as CSV or JSON lines.", mixinStandardHelpOptions = true,
        description = {"Export the outcomes of an execution's job instance as CSV (RFC 4180, UTF-8) or JSON lines,",
                "one row per selected learner or CSV record: the org, what the record asked for, what happened and",
                "why. Echoed text in the CSV is escaped against spreadsheet formulas."})
class ReportCommand extends DatabaseCommand {

    /** The columns, in order; new ones are added at the end, so that scripts reading by position keep working. */
    static final String[] HEADER = {"record_number", "identifier", "learner_id", "email",
            "previous_license_type", "new_license_type", "status", "reason", "detail", "note", "job_execution_id",
            "source_execution_id", "processed_at", "org_id", "org", "requested"};

    enum Format { csv, json }

    @Parameters(paramLabel = "EXECUTION", description = "The execution id (see `status`)")
    long executionId;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Write to this file instead of standard output")
    Path out;

    @Option(names = "--force", description = "With --out: replace the file if it exists")
    boolean force;

    @Option(names = "--failed-only", description = "Only what retry-failed would pick up: FAILED, and REJECTED"
            + " NO_SEATS or CHANGED_CONCURRENTLY")
    boolean failedOnly;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: ${COMPLETION-CANDIDATES}")
    OutcomeStatus status;

    @Option(names = "--reason", paramLabel = "REASON", description = "Only this reason, e.g. NO_SEATS")
    Reason reason;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv (default) or json: one"
            + " JSON object per line, the CSV's columns as fields")
    Format format;

    @Option(names = "--json", description = "The same as --format json")
    boolean json;

    @Override
    int run(AppContext app) throws IOException {
        AtomicLong rows = new AtomicLong();
        if (out == null) {
            JobExecution execution = app.bean(JobRunner.class).find(executionId);
            write(app, execution, TerminalSafe.forData(out()), rows);
        } else {
            try (OutputFile file = OutputFile.open(out, force, "--out")) {
                JobExecution execution = app.bean(JobRunner.class).find(executionId);
                write(app, execution, file.writer(), rows);
                file.commit();
            }
            out().printf("Wrote %s of execution %d to %s%n", rows.get() == 1 ? "1 outcome" : rows.get() + " outcomes",
                    executionId, out);
        }
        out().flush();
        return ExitCodes.COMPLETED;
    }

    /** Every outcome, in selection order, as CSV or JSON lines; the writer is flushed, not closed. */
    private void write(AppContext app, JobExecution execution, Writer writer, AtomicLong rows) throws IOException {
        boolean asJson = json || format == Format.json;
        CSVWriter csv = asJson ? null : csv(writer);
        if (csv != null) {
            csv.writeNext(HEADER, false);
        }
        app.bean(OutcomeGateway.class).report(execution.getJobInstanceId(), status, reason, failedOnly, rs -> {
            Timestamp processedAt = rs.getTimestamp("processed_at");
            Object[] values = {rs.getObject("record_number"), rs.getString("identifier"), rs.getObject("learner_id"),
                    rs.getString("email"), rs.getString("previous_license_type"), rs.getString("new_license_type"),
                    rs.getString("status"), rs.getString("reason"), rs.getString("detail"), rs.getString("note"),
                    rs.getObject("job_execution_id"), rs.getObject("source_execution_id"),
                    processedAt == null ? null : processedAt.toLocalDateTime().toString(), rs.getObject("org_id"),
                    rs.getString("org_name"), rs.getString("requested")};
            if (csv != null) {
                csv.writeNext(csvRow(values), false);
            } else {
                Map<String, Object> line = new LinkedHashMap<>();
                for (int i = 0; i < HEADER.length; i++) {
                    line.put(HEADER[i], values[i] instanceof Number number ? number.longValue() : values[i]);
                }
                try {
                    writer.write(Json.write(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            rows.incrementAndGet();
        });
        if (csv != null) {
            csv.flush(); // standard output stays open for whatever prints next
        }
        writer.flush();
    }

    /** The CSV row: text a person or a file typed is escaped against formulas; codes and numbers are ours. */
    private static String[] csvRow(Object[] values) {
        String[] row = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            String text = values[i] == null ? null : values[i].toString();
            row[i] = FREE_TEXT.contains(HEADER[i]) ? SpreadsheetSafe.text(text) : text;
        }
        return row;
    }

    private static final java.util.Set<String> FREE_TEXT = java.util.Set.of("identifier", "email", "detail", "note",
            "org", "requested");

    private static CSVWriter csv(Writer writer) {
        return new CSVWriter(writer, ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER, ICSVWriter.DEFAULT_ESCAPE_CHARACTER,
                "\r\n");
    }
}
