package io.licensebatch.contract;

import io.licensebatch.support.Commands;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.licensebatch.support.Processes.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command an operator runs, as one contract that each database must keep (the PostgreSQL of production
 * and the embedded H2 default alike): a filter job and its dry run, an upload, a plan and its apply, a stop and
 * its restart, retry-failed after seats were added, undo, status, report, verify, usage, a night's
 * reorganisation, a migration, and generate. Each test works in an account of its own, made by {@code generate}.
 */
abstract class CommandContract {

    private static final AtomicInteger ORGS = new AtomicInteger();

    @TempDir
    Path dir;

    /** The database of the contract's runs: each subclass says which, one per test class. */
    abstract String db();

    @AfterEach
    void settingsBack() {
        System.clearProperty("license-batch.chunk-size");
    }

    @Test
    void aFilterJobItsDryRunAndWhatStatusReportVerifyAndUsageSay() throws IOException {
        String org = account(400);
        String[] reassign = {"reassign", "--org", org, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO",
                "--status", "ACTIVE", "--department", "Sales", "--confirm-large-change"};

        Commands dryRun = run(with(reassign, "--dry-run"));
        assertThat(dryRun.output()).contains("[dry run: a plan, nothing changes]").contains("COMPLETED");
        assertThat(current(org, "LEARNING_HUB")).as("a dry run changes nothing").isEqualTo(hubBefore(org));
        Commands real = run(reassign);
        long moved = count(jdbc(), "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and status = 'REASSIGNED'", real.execution());
        assertThat(moved).isPositive();
        assertThat(current(org, "LEARNING_HUB")).isEqualTo(hubBefore(org) + moved);

        String list = run("status").output();
        assertThat(list).containsPattern(real.execution() + " +COMPLETED +" + org + " +reassign to LEARNING_HUB +change"
                + " +20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +20\\d\\d-").contains("operator:");
        assertThat(list).containsPattern(dryRun.execution() + " +COMPLETED +" + org + " +reassign to LEARNING_HUB"
                + " +dry run");
        JsonNode runs = run("status", "--org", org, "--json").json();
        assertThat(runs.get("format").asText()).isEqualTo("license-batch.runs/1");
        assertThat(runs.get("executions")).hasSize(2);
        JsonNode latest = runs.get("executions").get(0);
        assertThat(latest.get("execution").asLong()).isEqualTo(real.execution());
        assertThat(latest.at("/request/org/name").asText()).isEqualTo(org);
        assertThat(latest.at("/request/dryRun").asBoolean()).isFalse();
        assertThat(latest.at("/request/what").asText()).isEqualTo("reassign to LEARNING_HUB");
        assertThat(latest.at("/learners/doneByThisExecution").asLong()).isEqualTo(count(jdbc(),
                "select count(*) from license_change_outcome where job_execution_id = ?", real.execution()));
        assertThat(latest.at("/learners/done").asLong()).isEqualTo(latest.at("/learners/selected").asLong());
        assertThat(run("status", "--org", org, "--state", "failed", "--json").json().get("executions")).isEmpty();
        assertThat(run("status", "--org", org, "--since", "2999-12-31").output()).contains("No executions match");
        assertThat(run("status", "--org", org, "--limit", "1", "--json").json().get("executions")).hasSize(1);

        JsonNode plan = run("status", String.valueOf(dryRun.execution()), "--json").json();
        assertThat(plan.get("next").findValuesAsText("command")).as("a dry run's next steps: its report, its apply")
                .containsExactly("license-batch report " + dryRun.execution(), "license-batch apply "
                        + dryRun.execution());
        assertThat(plan.get("seats")).allSatisfy(pool -> assertThat(pool.get("simulated").asBoolean()).isTrue());
        JsonNode done = run("status", String.valueOf(real.execution()), "--json").json();
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("next").findValuesAsText("command")).contains("license-batch undo " + real.execution())
                .noneMatch(command -> command.contains("apply"));
        assertThat(run("status", String.valueOf(real.execution())).output()).contains("REASSIGNED")
                .contains("next: license-batch report " + real.execution()).contains("requested by operator:");
        Path report = dir.resolve("report.csv");
        assertThat(run("report", String.valueOf(real.execution()), "--out", report.toString()).output())
                .contains("Wrote " + moved + " outcomes");
        assertThat(Files.readAllLines(report)).hasSize((int) moved + 1).allMatch(line -> !line.isBlank());
        assertThat(Commands.run(db(), "verify").code()).isZero();
        String email = jdbc().queryForObject("select email from learner where id = (select min(learner_id) from"
                + " license_change_outcome where job_execution_id = ? and status = 'REASSIGNED')", String.class,
                real.execution());
        assertThat(run("usage", "--org", org, "--learner", email).output()).contains("LEARNING_PRO")
                .contains("LEARNING_HUB").contains("REASSIGNED");
    }

    @Test
    void anUploadWithRecordsOfEveryKind() throws IOException {
        String org = account(60);
        String domain = org.toLowerCase().replace(' ', '-') + ".example";
        Path upload = dir.resolve("moves.csv");
        Files.write(upload, List.of("email,license_type,reason",
                "learner1@" + domain + ",LEARNING_HUB,moved",
                "learner2@" + domain + ",REVOKE,left",
                "learner3@" + domain + ",LEARNING_HUBB,a typo",
                "nobody@" + domain + ",LEARNING_HUB,",
                "not an email,LEARNING_HUB,",
                "\"learner4@" + domain + "\",learning_essentials,\"quoted, with a comma\""));

        Commands run = run("reassign", "--org", org, "--csv", upload.toString());

        assertThat(run.code()).as(run.output()).isZero();
        Map<Long, String> outcomes = outcomesByRecord(run.execution());
        assertThat(outcomes).containsEntry(3L, "REJECTED UNKNOWN_LICENSE_TYPE")
                .containsEntry(4L, "REJECTED LEARNER_NOT_FOUND").containsEntry(5L, "REJECTED MALFORMED_RECORD")
                .hasSize(6);
        assertThat(outcomes.get(1L)).isIn("REASSIGNED", "UNCHANGED ALREADY_ON_TARGET", "REJECTED LEARNER_DEACTIVATED");
        assertThat(outcomes.get(2L)).isIn("REVOKED", "UNCHANGED NO_LICENSE_TO_REVOKE");
        assertThat(Commands.run(db(), "verify").code()).isZero();

        String report = run("report", String.valueOf(run.execution())).output();
        assertThat(report.lines().findFirst().orElseThrow()).endsWith(",org_id,org,requested");
        assertThat(report).contains("REJECTED,UNKNOWN_LICENSE_TYPE,no license type 'LEARNING_HUBB'; did you mean"
                + " LEARNING_HUB?").containsPattern(",a typo,.*," + org + ",LEARNING_HUBB\r?\n");
        List<JsonNode> lines = run("report", String.valueOf(run.execution()), "--json", "--reason",
                "LEARNER_NOT_FOUND").jsonLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("identifier").asText()).isEqualTo("nobody@" + domain);
        assertThat(lines.get(0).get("org").asText()).isEqualTo(org);
        assertThat(lines.get(0).get("record_number").asLong()).isEqualTo(4);
        assertThat(lines.get(0).get("detail").asText()).contains("no learner 'nobody@" + domain + "'");

        Commands again = run("reassign", "--org", org, "--csv", upload.toString());
        assertThat(again.code()).as("the same file twice: refused").isEqualTo(2);
        assertThat(again.output()).contains("has the same content as the upload of request").contains("--same-file-again");
        assertThat(run("reassign", "--org", org, "--csv", upload.toString(), "--same-file-again").code()).isZero();
        JsonNode verify = run("verify", "--json").json();
        assertThat(verify.get("holds").asBoolean()).isTrue();
        assertThat(verify.get("checks").size()).isGreaterThan(5);
    }

    @Test
    void aPlanIsAppliedExactlyOnce() {
        String org = account(300);
        Commands plan = run("revoke", "--org", org, "--status", "DEACTIVATED", "--dry-run");
        assertThat(plan.code()).as(plan.output()).isZero();
        long planned = count(jdbc(), "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and status = 'WOULD_REVOKE'", plan.execution());
        assertThat(planned).isPositive();

        Commands applied = run("apply", String.valueOf(plan.execution()));

        assertThat(applied.code()).as(applied.output()).isZero();
        assertThat(count(jdbc(), "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and status = 'REVOKED'", applied.execution())).isEqualTo(planned);
        assertThat(run("apply", String.valueOf(plan.execution())).code()).as("a plan is applied once").isEqualTo(2);
    }

    @Test
    void aStoppedRunIsRestartedToItsEnd() throws Exception {
        String org = account(3000);
        System.setProperty("license-batch.chunk-size", "5");
        CompletableFuture<Commands> running = CompletableFuture.supplyAsync(() -> Commands.run(db(), "reassign",
                "--org", org, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO", "--confirm-large-change"));
        long execution = awaitOutcomes(org, running);

        Commands stop = run("stop", String.valueOf(execution));

        assertThat(stop.output()).contains("is STOPPED").contains("restart " + execution);
        assertThat(running.get(2, TimeUnit.MINUTES).code()).isEqualTo(1);
        Commands restart = run("restart", String.valueOf(execution));
        assertThat(restart.code()).as(restart.output()).isZero();
        long instance = count(jdbc(), "select job_instance_id from batch_job_execution where job_execution_id = ?",
                execution);
        assertThat(count(jdbc(), "select count(*) from license_change_outcome where job_instance_id = ?", instance))
                .as("one outcome per selected learner").isEqualTo(count(jdbc(),
                        "select count(*) from selection_item where job_instance_id = ?", instance));
        assertThat(current(org, "LEARNING_PRO")).as("only those the job could not move stay")
                .isEqualTo(count(jdbc(), "select count(*) from license_change_outcome where job_instance_id = ?"
                        + " and status = 'REJECTED'", instance));
        assertThat(Commands.run(db(), "verify").code()).isZero();
    }

    @Test
    void retryFailedAfterSeatsWereAddedWithPoolsSetAndUndo() {
        String org = account(200);
        JsonNode pools = run("pools", "--org", org, "--json").json();
        JsonNode hub = pools.get("pools").findParents("licenseType").stream()
                .filter(pool -> pool.get("licenseType").asText().equals("LEARNING_HUB")).findFirst().orElseThrow();
        long used = hub.get("used").asLong();
        assertThat(run("pools", "set", "--org", org, "--type", "LEARNING_HUB", "--seats", String.valueOf(used - 1))
                .code()).as("never below the seats in use").isEqualTo(2);
        assertThat(run("pools", "set", "--org", org, "--type", "LEARNING_HUB", "--seats", String.valueOf(used + 3),
                "--note", "OPS-3").code()).isZero();
        Commands shortRun = run("reassign", "--org", org, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO",
                "--status", "ACTIVE", "--confirm-large-change");
        long refused = count(jdbc(), "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and reason = 'NO_SEATS'", shortRun.execution());
        assertThat(refused).isPositive();
        assertThat(run("report", String.valueOf(shortRun.execution()), "--reason", "NO_SEATS").output())
                .contains("the LEARNING_HUB pool");
        JsonNode shortStatus = run("status", String.valueOf(shortRun.execution()), "--json").json();
        assertThat(shortStatus.get("next").findValuesAsText("command"))
                .contains("license-batch retry-failed " + shortRun.execution());
        assertThat(run("pools", "set", "--org", org, "--type", "LEARNING_HUB", "--seats",
                String.valueOf(used + 3 + refused)).code()).isZero();
        JsonNode history = run("pools", "--history", "--org", org, "--json").json();
        assertThat(history.get("changes")).hasSize(2);
        assertThat(history.get("changes").get(1).get("seatsBefore").asLong()).isEqualTo(hub.get("total").asLong());
        assertThat(history.get("changes").get(1).get("note").asText()).isEqualTo("OPS-3");
        assertThat(history.get("changes").get(0).get("changedBy").asText()).startsWith("operator:");

        Commands retry = run("retry-failed", String.valueOf(shortRun.execution()), "--confirm-large-change");

        assertThat(retry.code()).as(retry.output()).isZero();
        assertThat(count(jdbc(), "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and status = 'REASSIGNED'", retry.execution())).isEqualTo(refused);
        Commands undo = run("undo", String.valueOf(retry.execution()), "--confirm-large-change");
        assertThat(undo.code()).as(undo.output()).isZero();
        assertThat(count(jdbc(), "select count(*) from license_change_outcome where job_execution_id = ?"
                + " and status = 'REASSIGNED'", undo.execution())).isEqualTo(refused);
        assertThat(Commands.run(db(), "verify").code()).isZero();
    }

    @Test
    void aNightAndAMigration() throws IOException {
        String org = account(200);
        Path rules = dir.resolve("night.yaml");
        Files.writeString(rules, "organizations:\n  - organization: " + org + "\n    rules:\n"
                + "      - {when: {department: Sales, status: ACTIVE}, license: LEARNING_HUB}\n");
        Commands night = run("reorganise", "--rules", rules.toString(), "--date", "2026-12-01",
                "--confirm-large-change");
        assertThat(night.code()).as(night.output()).isZero();
        assertThat(run("reorganise", "--rules", rules.toString(), "--date", "2026-12-01").output())
                .as("the same night again does nothing").contains("COMPLETED");

        Commands migrate = run("migrate", "--from", "LEARNING_ESSENTIALS", "--to", "LEARNING_PRO", "--org", org,
                "--transfer-seats", "--confirm-large-change");
        assertThat(migrate.code()).as(migrate.output()).isZero();
        assertThat(current(org, "LEARNING_ESSENTIALS")).isZero();
        assertThat(Commands.run(db(), "verify").code()).isZero();
    }

    @Test
    void generateMakesAPlatformOfManyOrgsInOneCommand() {
        String platform = "Platform " + ORGS.incrementAndGet();
        Commands generate = run("generate", "--org", platform, "--orgs", "25", "--learners", "40", "--seed", "7");
        assertThat(generate.code()).as(generate.output()).isZero();
        assertThat(generate.output()).contains("Generated a platform of 25 orgs, " + platform + " 1 to " + platform
                + " 25").contains("1,000 learners in all");
        List<Long> perOrg = jdbc().queryForList("select count(l.id) from organization o left join learner l"
                + " on l.org_id = o.id where o.name like ? group by o.id order by o.id", Long.class, platform + " %");
        assertThat(perOrg).hasSize(25).containsOnly(40L);
        assertThat(count(jdbc(), "select count(distinct l.email) from learner l join organization o on o.id ="
                + " l.org_id where o.name like ?", platform + " %")).as("emails unique across the platform")
                .isEqualTo(1000);
        assertThat(count(jdbc(), "select count(distinct p.org_id) from license_pool p join organization o on o.id ="
                + " p.org_id where o.name like ?", platform + " %")).as("every org has its pools").isEqualTo(25);
        assertThat(Commands.run(db(), "verify").code()).as("a generated platform keeps the invariants").isZero();
        Commands again = run("generate", "--org", platform, "--orgs", "25", "--learners", "40");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.output()).contains("exists already");
    }

    private Commands run(String... arguments) {
        return Commands.run(db(), arguments);
    }

    /** A generated account of its own; returns its name. */
    private String account(int learners) {
        String org = "Contract " + ORGS.incrementAndGet() + " Co";
        Commands generate = run("generate", "--org", org, "--learners", String.valueOf(learners), "--seed",
                String.valueOf(ORGS.get()));
        assertThat(generate.code()).as(generate.output()).isZero();
        hubs.put(org, current(org, "LEARNING_HUB"));
        return org;
    }

    private final Map<String, Long> hubs = new java.util.HashMap<>();

    private long hubBefore(String org) {
        return hubs.get(org);
    }

    private long current(String org, String type) {
        return count(jdbc(), "select count(*) from license_assignment a join organization o on o.id = a.org_id"
                + " where o.name = ? and a.license_type = ? and a.ended_at is null", org, type);
    }

    private Map<Long, String> outcomesByRecord(long execution) {
        Map<Long, String> outcomes = new java.util.TreeMap<>();
        jdbc().query("select record_number, status, reason from license_change_outcome where job_execution_id = ?",
                rs -> {
                    String reason = rs.getString("reason");
                    outcomes.put(rs.getLong("record_number"), rs.getString("status") + (reason == null ? "" : " "
                            + reason));
                }, execution);
        return outcomes;
    }

    private long awaitOutcomes(String org, CompletableFuture<Commands> running) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .failFast("the run ended before it could be stopped", () -> assertThat(running.isDone())
                        .as(() -> "the run ended before it could be stopped: " + running.join().output()).isFalse())
                .until(() -> count(jdbc(), "select count(*) from license_change_outcome o join organization g"
                        + " on g.id = o.org_id where g.name = ?", org) > 50);
        return count(jdbc(), "select max(job_execution_id) from batch_job_execution");
    }

    JdbcTemplate jdbc() {
        return io.licensebatch.support.Processes.jdbc(db());
    }

    private static String[] with(String[] arguments, String... more) {
        return io.licensebatch.support.Processes.with(arguments, more);
    }
}
