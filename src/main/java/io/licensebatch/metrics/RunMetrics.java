package io.licensebatch.metrics;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.config.Secrets;
import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.launch.Launch;
import io.licensebatch.runs.Run;
import io.licensebatch.runs.RunDetail;
import io.licensebatch.runs.Runs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Each run's metrics, pushed to a Prometheus Pushgateway when one is configured: the standard way to monitor batch
 * jobs, which end before anything could scrape them. Built with Micrometer's Prometheus registry (one per run, so
 * a push carries exactly this run) and pushed by the Prometheus Pushgateway client.
 *
 * <p>A push is grouped by the job ({@code job}: reorganise, csvUpload, migrate, ...), the org ({@code org}: its
 * id, or {@code all}) and the mode ({@code mode}: {@code change} or {@code dry_run}), so that runs of different
 * jobs, orgs or modes never overwrite each other, and each group holds its latest run. It is an add (HTTP POST):
 * metrics of the same name are replaced, others kept, so {@code license_batch_last_success_timestamp_seconds},
 * pushed only by a run that succeeded, still says when the last success was after a failed night.
 *
 * <p>A push that fails is reported and does not change the run's result or exit code.
 */
@Component
public class RunMetrics {

    private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

    private final LicenseBatchProperties.Metrics settings;
    private final Runs runs;

    public RunMetrics(LicenseBatchProperties properties, Runs runs) {
        this.settings = properties.metrics();
        this.runs = runs;
    }

    /** Pushes the metrics of a launch that ran (one that found nothing to do has none). */
    public void push(Launch launch) {
        if (settings.pushgatewayUrl() == null || launch.execution() == null) {
            return;
        }
        RunDetail detail = runs.detail(launch.execution().getId());
        Run run = detail.run();
        String org = run.request() == null || run.request().orgId() == null ? "all"
                : String.valueOf(run.request().orgId());
        String mode = run.dryRun() ? "dry_run" : "change";
        URI gateway = URI.create(settings.pushgatewayUrl());
        try {
            PushGateway.builder()
                    .scheme("https".equalsIgnoreCase(gateway.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
                    .address(gateway.getHost() + ":" + (gateway.getPort() < 0 ? 9091 : gateway.getPort()))
                    .job(run.job())
                    .groupingKey("org", org)
                    .groupingKey("mode", mode)
                    .connectionTimeout(settings.timeout())
                    .readTimeout(settings.timeout())
                    .registry(registry(detail, launch.ending()).getPrometheusRegistry())
                    .build()
                    .pushAdd();
            log.atInfo().addKeyValue("execution", run.execution()).addKeyValue("job", run.job())
                    .addKeyValue("org", org).addKeyValue("mode", mode)
                    .log("metrics of execution {} pushed to {} (job {}, org {}, mode {})", run.execution(),
                            Secrets.mask(settings.pushgatewayUrl()), run.job(), org, mode);
        } catch (IOException | RuntimeException e) {
            log.atWarn().addKeyValue("execution", run.execution())
                    .log("metrics of execution {} were NOT pushed to {}: {}. The run itself is {}; check"
                                    + " license-batch.metrics.pushgateway-url (LICENSE_BATCH_METRICS_PUSHGATEWAY_URL).",
                            run.execution(), Secrets.mask(settings.pushgatewayUrl()), e.getMessage(), run.state());
        }
    }

    /** The run as metrics, in a registry of its own. */
    static PrometheusMeterRegistry registry(RunDetail detail, Launch.Ending ending) {
        Run run = detail.run();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (OutcomeCount count : detail.outcomes()) {
            gauge(registry, "license.batch.learners", "Learners of the run by outcome status and reason",
                    count.count(), "status", count.status().name(), "reason",
                    count.reason() == null ? "" : count.reason().name());
        }
        gauge(registry, "license.batch.run.selected", "Learners or records the run selected",
                Math.max(run.selected(), 0));
        LocalDateTime start = run.started() == null ? run.created() : run.started();
        LocalDateTime end = run.ended() == null ? LocalDateTime.now() : run.ended();
        double seconds = Duration.between(start, end).toMillis() / 1000.0;
        gauge(registry, "license.batch.run.duration.seconds", "How long this execution ran", seconds);
        gauge(registry, "license.batch.run.learners.per.second", "Learners this execution gave an outcome, per second",
                seconds <= 0 ? 0 : run.doneByThisOne() / seconds);
        gauge(registry, "license.batch.run.info", "The latest run of the group: its execution, state and ending", 1,
                "execution", String.valueOf(run.execution()), "state", run.state().name(), "ending", ending.name());
        boolean succeeded = ending == Launch.Ending.COMPLETED;
        gauge(registry, "license.batch.run.succeeded", "1 when the latest run completed with no failed learner",
                succeeded ? 1 : 0);
        double endedAt = end.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() / 1000.0;
        gauge(registry, "license.batch.last.run.timestamp.seconds", "When the latest run ended (Unix time)", endedAt);
        if (succeeded) {
            gauge(registry, "license.batch.last.success.timestamp.seconds",
                    "When the latest successful run ended (Unix time)", endedAt);
        }
        return registry;
    }

    private static void gauge(PrometheusMeterRegistry registry, String name, String help, double value,
            String... tags) {
        Gauge.builder(name, () -> value).description(help).tags(tags).register(registry);
    }
}
