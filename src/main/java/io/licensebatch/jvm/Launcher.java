package io.licensebatch.jvm;

import io.licensebatch.LicenseBatchApplication;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The jar's entry point: runs license-batch in a child JVM started with the options that make a short batch
 * run lean, so that a plain {@code java -jar license-batch.jar ...} gets them:
 * <ul>
 * <li>{@code -XX:TieredStopAtLevel=1}: the quick JIT only (C2 spends seconds of CPU compiling for a run that
 * mostly waits for the database, on cores the database needs);</li>
 * <li>{@code -XX:+UseSerialGC}: one collector thread, a small heap footprint (the live data is a chunk);</li>
 * <li>{@code -XX:SharedArchiveFile=license-batch.jsa}: the class-data sharing archive the build writes next to
 * the jar, so that Spring's classes are mapped rather than loaded and verified one by one.</li>
 * </ul>
 * Measured on 2 cores (README, benchmark): {@code status} takes 1.6 s instead of 2.3 s, and the reassign of
 * 456,000 learners about 10% less time end to end, with a third less CPU.
 *
 * <p>The child gets this JVM's own options (say {@code -Xmx128m}) after these, so an operator's choice wins;
 * it shares stdin, stdout and stderr, and its exit code is this process's. SIGTERM or Ctrl-C here is passed
 * on and waited for (the child stops at a chunk boundary); if this process is killed outright, the child
 * notices within a quarter of a second and ends the same way ({@link LauncherWatch}), so {@code kill -9}
 * still means what it says. {@code LICENSE_BATCH_LAUNCH=direct} (or a Java agent, such as a debugger) runs
 * everything in this JVM instead.
 */
public final class Launcher {

    /** Set on the child: the pid of the launcher it belongs to. */
    public static final String LAUNCHER_PID = "license-batch.launcher-pid";

    static final String ARCHIVE = "license-batch.jsa";

    private Launcher() {
    }

    public static void main(String[] args) {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if ("direct".equalsIgnoreCase(System.getenv("LICENSE_BATCH_LAUNCH")) || hasAgent(jvmOptions)) {
            LicenseBatchApplication.main(args);
            return;
        }
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(childCommand(jvmOptions, args)).inheritIO();
            // Their options are among this JVM's, which the child gets on its command line: not twice.
            builder.environment().remove("JDK_JAVA_OPTIONS");
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            child = builder.start();
        } catch (IOException e) {
            System.err.println("license-batch: cannot start a child JVM (" + e.getMessage() + "); running in this one");
            LicenseBatchApplication.main(args);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> passOnShutdown(child), "license-batch-launcher"));
        System.exit(waitFor(child));
    }

    private static List<String> childCommand(List<String> jvmOptions, String[] args) {
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean fullJit = "full".equalsIgnoreCase(System.getenv("LICENSE_BATCH_JIT"));
        if (!fullJit && !mentions(jvmOptions, "TieredStopAtLevel")) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        if (jvmOptions.stream().noneMatch(option -> option.matches("-XX:[+-]Use\\w*GC"))) {
            command.add("-XX:+UseSerialGC");
        }
        archiveFor(classPath).ifPresent(archive -> {
            command.add("-XX:SharedArchiveFile=" + archive);
            // An archive the JVM cannot use (another JDK, a rebuilt jar) only makes the start slower: say nothing.
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
        });
        command.addAll(jvmOptions);
        command.add("-D" + LAUNCHER_PID + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classPath);
        command.add(LicenseBatchApplication.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The archive next to the jar, if the build wrote one after the jar (an older one would not match it). */
    static Optional<Path> archiveFor(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return Optional.empty();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        Path archive = jar.resolveSibling(ARCHIVE);
        try {
            boolean current = Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0;
            return current ? Optional.of(archive) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // the jar or the archive cannot be read: start without the archive
        }
    }

    private static boolean hasAgent(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(option -> option.startsWith("-agentlib") || option.startsWith("-agentpath")
                || option.startsWith("-javaagent"));
    }

    private static boolean mentions(List<String> jvmOptions, String flag) {
        return jvmOptions.stream().anyMatch(option -> option.contains(flag));
    }

    /** SIGTERM or Ctrl-C reached this process: the child gets SIGTERM too, and its exit code is ours. */
    private static void passOnShutdown(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        Runtime.getRuntime().halt(waitFor(child));
    }

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // Keep waiting: the child decides when the run ends, and its exit code is the answer.
            }
        }
    }
}
