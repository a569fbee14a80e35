package io.licensebatch.cli;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
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
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Export the outcomes of an execution's job instance as CSV (RFC 4180, UTF-8), one row per",
                "selected learner or CSV record. Echoed text is escaped against spreadsheet formulas."})
class ReportCommand extends DatabaseCommand {

    private static final String[] HEADER = {"record_number", "identifier", "learner_id", "email",
            "previous_license_type", "new_license_type", "status", "reason", "detail", "note", "job_execution_id",
            "source_execution_id", "processed_at"};

    @Parameters(paramLabel = "EXECUTION", description = "The execution id (see `status`)")
    long executionId;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Write to this file instead of standard output")
    Path out;

    @Option(names = "--failed-only", description = "Only what retry-failed would pick up: FAILED, and REJECTED"
            + " NO_SEATS or CHANGED_CONCURRENTLY")
    boolean failedOnly;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: ${COMPLETION-CANDIDATES}")
    OutcomeStatus status;

    @Option(names = "--reason", paramLabel = "REASON", description = "Only this reason, e.g. NO_SEATS")
    Reason reason;

    @Override
    int run(AppContext app) throws IOException {
        JobExecution execution = app.bean(JobRunner.class).find(executionId);
        AtomicLong rows = new AtomicLong();
        Writer writer = out == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        CSVWriter csv = new CSVWriter(writer, ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER,
                ICSVWriter.DEFAULT_ESCAPE_CHARACTER, "\r\n");
        try {
            csv.writeNext(HEADER, false);
            app.bean(OutcomeGateway.class).report(execution.getJobInstanceId(), status, reason, failedOnly, rs -> {
                Timestamp processedAt = rs.getTimestamp("processed_at");
                csv.writeNext(new String[] {
                        text(rs.getObject("record_number")), SpreadsheetSafe.text(rs.getString("identifier")),
                        text(rs.getObject("learner_id")), SpreadsheetSafe.text(rs.getString("email")),
                        rs.getString("previous_license_type"), rs.getString("new_license_type"),
                        rs.getString("status"), rs.getString("reason"), SpreadsheetSafe.text(rs.getString("detail")),
                        SpreadsheetSafe.text(rs.getString("note")), text(rs.getObject("job_execution_id")),
                        text(rs.getObject("source_execution_id")),
                        processedAt == null ? null : processedAt.toLocalDateTime().toString()}, false);
                rows.incrementAndGet();
            });
        } finally {
            // Standard output stays open for whatever prints next; a file is closed.
            if (out == null) {
                csv.flush();
            } else {
                csv.close();
            }
        }
        if (out != null) {
            out().printf("Wrote %d outcome(s) of execution %d to %s%n", rows.get(), executionId, out);
            out().flush();
        }
        return ExitCodes.COMPLETED;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
