package io.licensebatch.jvm;

import io.licensebatch.LicenseBatchApplication;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The jar's entry point: runs license-batch in a child JVM started with the options that make a short batch
 * run lean, so that a plain {@code java -jar license-batch.jar ...} gets them:
 * <ul>
 * <li>{@code -XX:TieredStopAtLevel=1}: the quick JIT only (C2 spends seconds of CPU compiling for a run that
 * mostly waits for the database, on cores the database needs);</li>
 * <li>{@code -XX:CICompilerCount=1}: one compiler thread instead of two. On 2 cores the second one competes with
 * the start-up's main thread and then with the database's backends, for code the run hardly needs sooner:
 * measured on the 2,000-org migration, 6 alternating pairs: medians 3.04 → 2.88 s, every pair faster;</li>
 * <li>{@code -XX:+UseSerialGC}: one collector thread, a small heap footprint (the live data is a chunk);</li>
 * <li>{@code -XX:SharedArchiveFile=license-batch.jsa}: the class-data sharing archive the build writes next to
 * the jar, so that Spring's classes are mapped rather than loaded and verified one by one.</li>
 * </ul>
 * Measured on 2 cores (README, benchmark): {@code status} takes 1.6 s instead of 2.3 s, and the reassign of
 * 456,000 learners about 10% less time end to end, with a third less CPU.
 *
 * <p>The child gets this JVM's own options (say {@code -Xmx128m}, and those of {@code JAVA_TOOL_OPTIONS} and
 * {@code JDK_JAVA_OPTIONS}) after these, so an operator's choice wins; it shares stdin, stdout and stderr, and
 * its exit code is this process's. Its options and arguments reach it in an argument file ({@code java @file},
 * readable by this user only, deleted by the child as it starts), never on its command line: any local user
 * can read a process's command line, and options can carry secrets. SIGTERM or Ctrl-C here is passed on and
 * waited for (the child stops at a chunk boundary), and the child's exit code is still this process's; if this
 * process is killed outright, the child notices within a quarter of a second and ends the same way
 * ({@link LauncherWatch}), so {@code kill -9} still means what it says. {@code LICENSE_BATCH_LAUNCH=direct} (or
 * a Java agent, such as a debugger) runs everything in this JVM instead.
 */
public final class Launcher {

    /** Set on the child: the pid of the launcher it belongs to. */
    public static final String LAUNCHER_PID = "license-batch.launcher-pid";

    static final String ARCHIVE = "license-batch.jsa";

    /** Set on the child: its argument file, which it deletes as it starts ({@link #removeArgumentFile}). */
    static final String ARGUMENT_FILE = "license-batch.argument-file";

    private Launcher() {
    }

    public static void main(String[] args) {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if ("direct".equalsIgnoreCase(System.getenv("LICENSE_BATCH_LAUNCH")) || hasAgent(jvmOptions)) {
            LicenseBatchApplication.main(args);
            return;
        }
        Process child;
        Path argumentFile = null;
        try {
            argumentFile = argumentFile(childArguments(jvmOptions, args));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "@" + argumentFile).inheritIO();
            // Their options are among this JVM's, which the child gets in its argument file: not twice (and the
            // JVM would print them again, "Picked up JAVA_TOOL_OPTIONS: ...").
            builder.environment().remove("JDK_JAVA_OPTIONS");
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            child = builder.start();
        } catch (IOException e) {
            delete(argumentFile);
            System.err.println("license-batch: cannot start a child JVM (" + e.getMessage() + "); running in this one");
            LicenseBatchApplication.main(args);
            return;
        }
        Path started = argumentFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> passOnShutdown(child, started), "license-batch-launcher"));
        int code = waitFor(child);
        delete(started);
        System.exit(code);
    }

    /** In the child, first thing: its argument file has been read by the java launcher; nobody needs it now. */
    public static void removeArgumentFile() {
        String file = System.getProperty(ARGUMENT_FILE);
        if (file != null) {
            delete(Path.of(file));
        }
    }

    /** The child's arguments in a file of their own, in a directory only this user can read. */
    private static Path argumentFile(List<String> arguments) throws IOException {
        Path directory = Files.createTempDirectory("license-batch-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path file = directory.resolve("arguments");
        List<String> lines = new ArrayList<>();
        lines.add(quoted("-D" + ARGUMENT_FILE + "=" + file));
        arguments.forEach(argument -> lines.add(quoted(argument)));
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * An argument as the java launcher reads it from a file: in double quotes, with backslash, quote and the line
     * ends, tab and form feed escaped ({@code \n}, {@code \r}, {@code \t}, {@code \f}, which it turns back into
     * those characters). A raw line end would end the argument there, and the rest of it would become an argument
     * of its own: a {@code --note} whose second line reads {@code --yes} would have confirmed a mass change.
     */
    static String quoted(String argument) {
        StringBuilder quoted = new StringBuilder(argument.length() + 2).append('"');
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\f' -> quoted.append("\\f");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            System.err.println("license-batch: could not delete " + file + " (" + e.getMessage() + ")");
        }
    }

    static List<String> childArguments(List<String> jvmOptions, String[] args) {
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>();
        boolean fullJit = "full".equalsIgnoreCase(System.getenv("LICENSE_BATCH_JIT"));
        if (!fullJit && !mentions(jvmOptions, "TieredStopAtLevel")) {
            command.add("-XX:TieredStopAtLevel=1");
            if (!mentions(jvmOptions, "CICompilerCount")) {
                command.add("-XX:CICompilerCount=1");
            }
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

    /**
     * SIGTERM or Ctrl-C reached this process: the child gets SIGTERM too (it may have had it already, from the
     * same process group), and its exit code is ours either way, not the JVM's 143.
     */
    private static void passOnShutdown(Process child, Path argumentFile) {
        if (child.isAlive()) {
            child.destroy();
        }
        int code = waitFor(child);
        delete(argumentFile);
        Runtime.getRuntime().halt(code);
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
