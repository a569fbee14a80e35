package io.licensebatch.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.licensebatch.cli.Cli;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;

/** A command run in this JVM against a test database, with what it printed and the last execution. */
public record Commands(int code, String output, long execution) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The output read as JSON, as a script would read it; one object, or (JSON lines) one per line. */
    public JsonNode json() {
        try {
            return JSON.readTree(output);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + output, e);
        }
    }

    /** JSON lines: one object per line. */
    public List<JsonNode> jsonLines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            try {
                lines.add(JSON.readTree(line));
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    public static Commands run(String db, String... arguments) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of(arguments));
        if (!all.contains("--db")) {
            all.add("--db");
            all.add(db);
        }
        CommandLine commandLine = Cli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        int code = commandLine.execute(all.toArray(new String[0]));
        return new Commands(code, out.toString(),
                count(jdbc(db), "select coalesce(max(job_execution_id), 0) from batch_job_execution"));
    }
}
