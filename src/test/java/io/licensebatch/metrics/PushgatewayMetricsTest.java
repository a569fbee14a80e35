package io.licensebatch.metrics;

import io.licensebatch.support.CliProcess;
import io.licensebatch.support.Commands;
import io.licensebatch.support.Pushgateway;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs push their metrics to a real Pushgateway, grouped per job, org and mode so that runs do not overwrite each
 * other; a run that does not succeed leaves the last success where it was; no gateway, or one that is down, never
 * changes a run's result.
 */
class PushgatewayMetricsTest {

    static Pushgateway gateway;
    static String db;
    static JdbcTemplate jdbc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        gateway = Pushgateway.start();
        db = TestDatabases.create("metrics");
        assertThat(Commands.run(db, "status").code()).isZero();
        jdbc = jdbc(db);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @AfterEach
    void noGateway() {
        System.clearProperty("license-batch.metrics.pushgateway-url");
    }

    @Test
    void eachRunPushesItsOutcomesDurationStateAndLastSuccessGroupedByJobOrgAndMode() throws Exception {
        TestAccounts accounts = new TestAccounts(jdbc);
        Account roomy = accounts.account("Metrics Roomy").pool(PRO, 10).pool(HUB, 100);
        Account tight = accounts.account("Metrics Tight").pool(PRO, 10).pool(HUB, 1);
        for (int i = 0; i < 3; i++) {
            roomy.learner(aLearner().onLicense(PRO));
            tight.learner(aLearner().onLicense(PRO));
        }
        System.setProperty("license-batch.metrics.pushgateway-url", gateway.url());

        Commands moved = Commands.run(db, "reassign", "--org", roomy.name, "--to", HUB, "--license-type", PRO, "--yes");
        Commands shortOfSeats = Commands.run(db, "reassign", "--org", tight.name, "--to", HUB, "--license-type", PRO,
                "--yes");
        Commands plan = Commands.run(db, "revoke", "--org", roomy.name, "--license-type", HUB, "--dry-run");

        assertThat(moved.code()).as(moved.output()).isZero();
        assertThat(shortOfSeats.code()).as(shortOfSeats.output()).isZero();
        assertThat(plan.code()).as(plan.output()).isZero();
        List<String> samples = gateway.samples();
        String roomyGroup = group("licenseChange", roomy.id, "change");
        String tightGroup = group("licenseChange", tight.id, "change");
        assertThat(value(samples, "license_batch_learners", roomyGroup, "status=\"REASSIGNED\"")).isEqualTo(3);
        assertThat(value(samples, "license_batch_learners", tightGroup, "status=\"REASSIGNED\"")).isEqualTo(1);
        assertThat(value(samples, "license_batch_learners", tightGroup, "reason=\"NO_SEATS\"")).as("what an alert"
                + " on NO_SEATS above zero reads").isEqualTo(2);
        assertThat(value(samples, "license_batch_learners", group("licenseChange", roomy.id, "dry_run"),
                "status=\"WOULD_REVOKE\"")).as("a dry run in a group of its own").isEqualTo(3);
        assertThat(value(samples, "license_batch_run_selected", roomyGroup)).isEqualTo(3);
        assertThat(value(samples, "license_batch_run_duration_seconds", roomyGroup)).isPositive();
        assertThat(value(samples, "license_batch_run_succeeded", roomyGroup)).isEqualTo(1);
        assertThat(sample(samples, "license_batch_run_info", roomyGroup)).contains("state=\"COMPLETED\"")
                .contains("execution=\"" + moved.execution() + "\"");
        double lastSuccess = value(samples, "license_batch_last_success_timestamp_seconds", roomyGroup);
        assertThat(lastSuccess).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));

        // The next run of the same group is blocked by the guard: it did not succeed, the last success stands.
        for (int i = 0; i < 60; i++) {
            roomy.learner(aLearner().onLicense(HUB));
        }
        Commands blocked = Commands.run(db, "revoke", "--org", roomy.name, "--license-type", HUB);
        assertThat(blocked.code()).as(blocked.output()).isEqualTo(4);
        List<String> after = gateway.samples();
        assertThat(value(after, "license_batch_run_succeeded", roomyGroup)).isZero();
        assertThat(sample(after, "license_batch_run_info", roomyGroup)).contains("ending=\"BLOCKED\"")
                .contains("execution=\"" + blocked.execution() + "\"");
        assertThat(value(after, "license_batch_last_success_timestamp_seconds", roomyGroup)).isEqualTo(lastSuccess);
        assertThat(value(after, "license_batch_learners", tightGroup, "reason=\"NO_SEATS\"")).as("other groups stay")
                .isEqualTo(2);
    }

    @Test
    void theGatewayIsTakenFromTheEnvironmentAndOneThatIsDownChangesNoRunsResult() throws Exception {
        TestAccounts accounts = new TestAccounts(jdbc);
        Account account = accounts.account("Metrics Env").pool(PRO, 10).pool(HUB, 10);
        account.learner(aLearner().onLicense(PRO));
        account.learner(aLearner().onLicense(PRO));

        CliProcess fromEnvironment = CliProcess.start(dir, Map.of("LICENSE_BATCH_METRICS_PUSHGATEWAY_URL",
                gateway.url()), "revoke", "--db", db, "--org", account.name, "--learner", String.valueOf(
                count(jdbc, "select min(id) from learner where org_id = ?", account.id)));
        assertThat(fromEnvironment.waitFor(Duration.ofSeconds(90))).as(fromEnvironment.output()).isZero();
        assertThat(fromEnvironment.output()).contains("pushed to " + gateway.url());
        assertThat(value(gateway.samples(), "license_batch_learners", group("licenseChange", account.id, "change"),
                "status=\"REVOKED\"")).isEqualTo(1);

        CliProcess gatewayDown = CliProcess.start(dir, Map.of("LICENSE_BATCH_METRICS_PUSHGATEWAY_URL",
                "http://127.0.0.1:9"), "revoke", "--db", db, "--org", account.name, "--learner", String.valueOf(
                count(jdbc, "select max(id) from learner where org_id = ?", account.id)));
        assertThat(gatewayDown.waitFor(Duration.ofSeconds(90))).as(gatewayDown.output()).isZero();
        assertThat(gatewayDown.output()).contains("were NOT pushed to http://127.0.0.1:9")
                .contains("The run itself is COMPLETED");
    }

    private static String group(String job, long orgId, String mode) {
        return "job=\"" + job + "\"|mode=\"" + mode + "\"|org=\"" + orgId + "\"";
    }

    /** The one sample of a metric in a group (labels: all of {@code group}'s, and {@code more}). */
    private static String sample(List<String> samples, String metric, String group, String... more) {
        List<String> matching = samples.stream().filter(line -> line.startsWith(metric + "{"))
                .filter(line -> List.of(group.split("\\|")).stream().allMatch(line::contains))
                .filter(line -> List.of(more).stream().allMatch(line::contains)).toList();
        assertThat(matching).as(metric + " " + group + " in " + samples).hasSize(1);
        return matching.get(0);
    }

    private static double value(List<String> samples, String metric, String group, String... more) {
        String line = sample(samples, metric, group, more);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
