package io.licensebatch.support;

import io.licensebatch.LicenseBatchApplication;
import io.licensebatch.jvm.Launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * license-batch as a separate JVM, the way operators and schedulers run it: for tests that kill it, signal
 * it, or run it beside another process.
 */
public final class CliProcess {

    private final Process process;
    private final Path output;

    private CliProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code license-batch ARGS} in {@code directory} with extra environment variables, in a JVM with the
     * options the {@link Launcher} gives its child (the quick JIT on one compiler thread, the serial collector).
     */
    public static CliProcess start(Path directory, Map<String, String> environment, String... args) {
        return start(directory, environment, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                "-XX:+UseSerialGC"), LicenseBatchApplication.class.getName(), args);
    }

    /** Starts {@code license-batch ARGS} in a JVM with this much heap, e.g. "64m". */
    public static CliProcess startWithHeap(Path directory, String heap, String... args) {
        return start(directory, Map.of(), List.of("-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                LicenseBatchApplication.class.getName(), args);
    }

    /** Starts {@code license-batch ARGS} as {@code java -jar} does: through the {@link Launcher}. */
    public static CliProcess startThroughLauncher(Path directory, Map<String, String> environment, String... args) {
        return start(directory, environment, List.of("-Xmx200m"), Launcher.class.getName(), args);
    }

    /**
     * Starts {@code java OPTIONS -jar target/license-batch.jar ARGS}: the build's output, as operators run it (for
     * the integration tests, which run after the package phase: {@code license-batch.jar} names the jar).
     */
    public static CliProcess startJar(Path directory, Map<String, String> environment, List<String> jvmOptions,
            String... args) {
        String jar = Path.of(System.getProperty("license-batch.jar", "target/license-batch.jar")).toAbsolutePath()
                .toString();
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: the integration tests run after ./mvnw package");
        }
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-jar");
        options.add(jar);
        return start(directory, environment, options, List.of(args));
    }

    private static CliProcess start(Path directory, Map<String, String> environment, List<String> jvmOptions,
            String mainClass, String... args) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return start(directory, environment, options, List.of(args));
    }

    private static CliProcess start(Path directory, Map<String, String> environment, List<String> launch,
            List<String> args) {
        try {
            Path output = Files.createTempFile("license-batch-", ".out");
            List<String> command = new ArrayList<>(List.of(javaExecutable()));
            command.addAll(launch);
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            return new CliProcess(builder.start(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start license-batch in a new JVM", e);
        }
    }

    /** Runs to the end (at most the timeout) and returns the exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("license-batch did not end within " + timeout + "; output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no cleanup, like kill -9 or a lost machine. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: what a scheduler or Kubernetes sends to stop the process. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The JVMs this process started (the launcher's child). */
    public List<ProcessHandle> children() {
        return process.children().toList();
    }

    /** The exit code, once it has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
