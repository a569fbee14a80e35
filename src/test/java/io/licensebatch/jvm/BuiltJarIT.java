package io.licensebatch.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.licensebatch.cli.Cli;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.CliProcess;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.Processes.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar as operators run it, {@code java -jar target/license-batch.jar}, after the package phase (these
 * are failsafe's integration tests): what the build made, the generated application context
 * ({@code config/AheadOfTime}), the class-data sharing archive and the {@link Launcher}, is what runs. Local runs
 * must start from the generated context and end exactly where runs whose context is built from the configuration
 * classes end; remote workers and their managers must build theirs from the configuration classes, since the
 * generated one has no broker in it. Which context a JVM started from is read from its class-loading log.
 */
class BuiltJarIT {

    private static final String GENERATED = "io.licensebatch.config.AheadOfTime__ApplicationContextInitializer";
    private static final Duration RUN = Duration.ofMinutes(3);
    private static final String[] MIGRATE = {"migrate", "--from", "LEARNING_PRO", "--to", "LEARNING_HUB",
            "--all-orgs", "--transfer-seats", "--yes"};

    @TempDir
    Path workDir;

    @Test
    void theDemoOnTheEmbeddedDefaultStartsFromTheGeneratedContext() {
        Path classes = folder("demo-classes");
        CliProcess demo = jar(classes, Map.of(), "demo");
        assertThat(demo.waitFor(RUN)).as(demo.output()).isZero();
        assertThat(demo.output()).contains("All invariants hold");
        assertThat(loaded(classes, GENERATED)).as("the launcher's child started from the generated context").isTrue();
        assertThat(workDir.resolve("data")).as("the embedded default, in the working directory").isDirectory();
    }

    @Test
    void onPostgresqlTheGeneratedContextEndsWhereTheConfigurationClassesEnd() throws IOException {
        String generated = TestDatabases.create("jar_generated");
        String configured = TestDatabases.create("jar_configured");
        Path generatedClasses = folder("generated-classes");
        Path configuredClasses = folder("configured-classes");

        CliProcess demo = jar(generatedClasses, Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"), "demo",
                "--db", generated);
        assertThat(demo.waitFor(RUN)).as(demo.output()).isZero();
        CliProcess plainDemo = jar(configuredClasses, Map.of(), List.of("-Dspring.aot.enabled=false"), "demo",
                "--db", configured);
        assertThat(plainDemo.waitFor(RUN)).as(plainDemo.output()).isZero();
        for (String db : List.of(generated, configured)) {
            CliProcess migrate = jar(db.equals(generated) ? generatedClasses : configuredClasses, Map.of(),
                    db.equals(generated) ? List.of() : List.of("-Dspring.aot.enabled=false"),
                    with(MIGRATE, "--db", db));
            assertThat(migrate.waitFor(RUN)).as(migrate.output()).isZero();
            assertThat(Cli.execute("verify", "--db", db)).isZero();
        }

        assertThat(loaded(generatedClasses, GENERATED)).isTrue();
        assertThat(loaded(configuredClasses, GENERATED)).as("-Dspring.aot.enabled=false is the operator's").isFalse();
        assertThat(AccountState.platform(jdbc(generated))).isNotEmpty()
                .isEqualTo(AccountState.platform(jdbc(configured)));
        assertThat(jdbc(generated).queryForObject("select count(*) from license_change_outcome", Long.class))
                .isEqualTo(jdbc(configured).queryForObject("select count(*) from license_change_outcome", Long.class))
                .isPositive();
        List<JsonNode> events = jsonLines(demo.output());
        assertThat(events).as("structured logs from the generated context:%n%s", demo.output()).isNotEmpty()
                .allSatisfy(event -> assertThat(event.path("message").asText()).isNotBlank());
        assertThat(events).anySatisfy(event -> assertThat(event.path("message").asText()).contains("Summary"));
    }

    @Test
    void remoteWorkersAndTheirManagerBuildTheirContextFromTheConfigurationClasses() {
        String platform = TestDatabases.create("jar_remote");
        assertThat(Cli.execute("generate", "--db", platform, "--org", "Jar", "--orgs", "12", "--learners", "100"))
                .isZero();
        String local = TestDatabases.copyOf(platform, "jar_local");
        assertThat(Cli.execute(with(MIGRATE, "--db", local))).isZero();
        String queue = "lbt-jar-" + UUID.randomUUID();
        Map<String, String> settings = Map.of("LICENSE_BATCH_REMOTE_QUEUE", queue,
                "LICENSE_BATCH_REMOTE_POLL_INTERVAL", "200ms", "LICENSE_BATCH_CHUNK_SIZE", "50",
                "LICENSE_BATCH_MIN_PARTITION_ITEMS", "100");
        Path workerClasses = folder("worker-classes");
        Path managerClasses = folder("manager-classes");

        CliProcess worker = jar(workerClasses, settings, "worker", "--concurrency", "2", "--db", platform);
        try {
            CliProcess manager = jar(managerClasses, settings, with(MIGRATE, "--db", platform, "--workers", "remote"));
            assertThat(manager.waitFor(RUN)).as(manager.output()).isZero();
            assertThat(worker.output()).contains("consumes");
        } finally {
            try {
                worker.terminate();
                assertThat(worker.waitFor(Duration.ofSeconds(60))).as(worker.output()).isZero();
            } finally {
                deleteQueue(queue);
            }
        }

        assertThat(loaded(workerClasses, GENERATED)).isFalse();
        assertThat(loaded(managerClasses, GENERATED)).isFalse();
        assertThat(AccountState.platform(jdbc(platform))).isEqualTo(AccountState.platform(jdbc(local)));
    }

    @Test
    void theGeneratedContextIsTheLocalRunsMadeWithoutTheBuildMachinesEnvironment() throws IOException {
        Path jar = Path.of(System.getProperty("license-batch.jar", "target/license-batch.jar"));
        try (java.util.jar.JarFile built = new java.util.jar.JarFile(jar.toFile())) {
            List<String> generated = built.stream().map(java.util.jar.JarEntry::getName)
                    .filter(name -> name.contains("__")).toList();
            assertThat(generated).contains(GENERATED.replace('.', '/') + ".class")
                    .noneMatch(name -> name.matches("io/licensebatch/remote/(RemoteManager|RemotePartitioning|"
                            + "PartitionWorker)__.*"))
                    .noneMatch(name -> name.contains("__EnvironmentPostProcessor"))
                    .noneMatch(name -> name.contains("/amqp/") || name.contains("/integration/"));
        }
    }

    @Test
    void aFailedStartSaysTheSameFromEitherContextAndNothingOfSpringsOwn() {
        String missing = TestDatabases.url("lbt_missing_" + UUID.randomUUID().toString().replace("-", ""));
        CliProcess generated = jar(folder("failed-generated"), Map.of(), "status", "--db", missing);
        CliProcess configured = jar(folder("failed-configured"), Map.of(), List.of("-Dspring.aot.enabled=false"),
                "status", "--db", missing);

        assertThat(generated.waitFor(RUN)).isEqualTo(configured.waitFor(RUN)).isNotZero();
        assertThat(generated.output().lines().toList()).as(generated.output())
                .isEqualTo(configured.output().lines().toList())
                .noneMatch(line -> line.contains("cancelling refresh") || line.contains("Exception"));
        assertThat(generated.output()).startsWith("license-batch status: failed: ").contains("does not exist");
    }

    @Test
    void aRunWithAProfileBuildsItsContextFromTheConfigurationClasses() {
        String db = TestDatabases.create("jar_profile");
        Path classes = folder("profile-classes");
        CliProcess status = jar(classes, Map.of("SPRING_PROFILES_ACTIVE", "night"), "status", "--db", db);
        assertThat(status.waitFor(RUN)).as(status.output()).isZero();
        assertThat(loaded(classes, GENERATED)).as("a profile may switch beans the generated context fixed").isFalse();
    }

    private CliProcess jar(Path classLog, Map<String, String> environment, String... args) {
        return jar(classLog, environment, List.of(), args);
    }

    /** The jar in the test's folder, each of its JVMs (launcher, child) logging the classes it loads. */
    private CliProcess jar(Path classLog, Map<String, String> environment, List<String> options, String... args) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m",
                "-Xlog:class+load=info:file=" + classLog.resolve("classes-%p.log")));
        jvmOptions.addAll(options);
        return CliProcess.startJar(workDir, environment, jvmOptions, args);
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean loaded(Path classLog, String className) {
        try (Stream<Path> logs = Files.list(classLog)) {
            List<Path> files = logs.toList();
            assertThat(files).as("class-loading logs in " + classLog).isNotEmpty();
            for (Path log : files) {
                if (Files.readString(log).contains(className + " ")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> jsonLines(String output) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : output.lines().filter(line -> line.startsWith("{\"@timestamp\"")).toList()) {
            events.add(mapper.readTree(line));
        }
        return events;
    }

    /** The test's own queue goes with it, as its databases do. */
    private static void deleteQueue(String queue) {
        CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(broker).deleteQueue(queue);
        } finally {
            broker.destroy();
        }
    }
}
