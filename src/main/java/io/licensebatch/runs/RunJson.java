package io.licensebatch.runs;

import io.licensebatch.console.Json;
import io.licensebatch.domain.license.SeatPoolGateway.PoolSnapshot;
import io.licensebatch.domain.outcome.OutcomeCount;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of runs ({@code status --json}, {@code status EXECUTION --json}, {@code --summary-json FILE}): a stable
 * shape, documented in the README ("Machine-readable output"). Fields are added, never renamed or removed;
 * {@code format} names the shape and its version.
 */
public final class RunJson {

    public static final String LIST_FORMAT = "license-batch.runs/1";
    public static final String RUN_FORMAT = "license-batch.run/1";

    private RunJson() {
    }

    public static String list(List<Run> runs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", LIST_FORMAT);
        json.put("executions", runs.stream().map(RunJson::run).toList());
        return Json.write(json);
    }

    public static String detail(RunDetail detail) {
        return Json.write(object(detail));
    }

    private static Map<String, Object> object(RunDetail detail) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", RUN_FORMAT);
        json.putAll(run(detail.run()));
        json.put("outcomes", detail.outcomes().stream().map(RunJson::outcome).toList());
        json.put("seats", detail.seats().stream().map(pool -> seats(pool, detail)).toList());
        json.put("cause", detail.cause().map(cause -> Json.fields("step", cause.step(), "message", cause.message()))
                .orElse(null));
        json.put("blocked", detail.blocked().orElse(null));
        json.put("owner", detail.owner().orElse(null));
        json.put("lastExecution", detail.lastExecution());
        json.put("next", detail.next().stream().map(step -> Json.fields("command", step.command(), "why", step.why()))
                .toList());
        return json;
    }

    /** How a run ended, for a scheduler ({@code --summary-json}): the run in full, its ending and exit code. */
    public static String summary(RunDetail detail, String ending, int exitCode) {
        Map<String, Object> json = new LinkedHashMap<>(Json.fields("format", RUN_FORMAT, "ending", ending,
                "exitCode", exitCode));
        json.putAll(object(detail));
        return Json.write(json);
    }

    static Map<String, Object> run(Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("execution", run.execution());
        json.put("instance", run.instance());
        json.put("job", run.job());
        json.put("state", run.state().name());
        json.put("batchStatus", run.batchStatus());
        json.put("request", run.request() == null ? null : request(run.request()));
        json.put("created", Json.time(run.created()));
        json.put("started", Json.time(run.started()));
        json.put("ended", Json.time(run.ended()));
        Map<String, Object> learners = new LinkedHashMap<>();
        learners.put("selected", run.selected() < 0 ? null : run.selected());
        learners.put("done", run.done());
        learners.put("doneByThisExecution", run.doneByThisOne());
        json.put("learners", learners);
        return json;
    }

    private static Map<String, Object> request(Run.Request request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", request.id());
        json.put("kind", request.kind().name());
        json.put("org", request.orgId() == null ? null : org(request.orgId(), request.org()));
        json.put("what", request.what());
        json.put("action", request.action());
        json.put("target", request.target());
        json.put("dryRun", request.dryRun());
        json.put("note", request.note());
        json.put("requestedBy", request.requestedBy());
        json.put("description", request.description());
        return json;
    }

    private static Map<String, Object> outcome(OutcomeCount count) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", count.status().name());
        json.put("reason", count.reason() == null ? null : count.reason().name());
        json.put("learners", count.count());
        return json;
    }

    private static Map<String, Object> seats(PoolSnapshot pool, RunDetail detail) {
        boolean simulated = detail.run().dryRun();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("org", org(pool.key().orgId(), detail.orgNames().get(pool.key().orgId())));
        json.put("licenseType", pool.key().licenseType());
        json.put("before", Json.fields("used", pool.usedBefore(), "total", pool.totalBefore()));
        json.put("after", Json.fields("used",
                simulated ? pool.simulatedUsed() : pool.currentUsed(), "total",
                simulated ? pool.simulatedTotal() : pool.currentTotal()));
        json.put("simulated", simulated);
        return json;
    }

    private static Map<String, Object> org(long id, String name) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        return json;
    }
}
