package io.licensebatch.jvm;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the JIT to its quick tier (C1) for this process, unless {@code LICENSE_BATCH_JIT=full}.
 *
 * <p>Why: a run is short-lived and spends its time waiting for PostgreSQL, but HotSpot's optimizing
 * compiler (C2) still compiles everything that gets hot: measured on 2 cores, about 10 s of CPU during a
 * 15 s run of a million learners, taken from the database backends doing the actual work. C1 code is plenty
 * for this work, and the run is 10-15% faster end to end. It is the effect of
 * {@code -XX:TieredStopAtLevel=1}, applied from inside the process (a compiler directive, as
 * {@code jcmd Compiler.directives_add} adds one). The {@link Launcher} starts its child JVM with the flag
 * itself (which also spares C1 the profiling tier), so this is for a JVM started some other way: with
 * {@code LICENSE_BATCH_LAUNCH=direct}, or by a test.
 */
public final class JitPolicy {

    private static final String C1_ONLY = "[ { match: \"*.*\", c2: { Exclude: true } } ]";

    private JitPolicy() {
    }

    public static void apply() {
        boolean launched = System.getProperty(Launcher.LAUNCHER_PID) != null;
        if (launched || "full".equalsIgnoreCase(System.getenv("LICENSE_BATCH_JIT"))) {
            return;
        }
        Path directives = null;
        try {
            directives = Files.createTempFile("license-batch-jit", ".json");
            Files.writeString(directives, C1_ONLY);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object result = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {directives.toString()}},
                    new String[] {String[].class.getName()});
            if (!String.valueOf(result).contains("1 compiler directives added")) {
                leftAtDefault(String.valueOf(result).strip());
            }
        } catch (IOException | JMException | RuntimeException e) {
            // Not HotSpot, or no diagnostic commands: the JVM keeps its default JIT, which is only slower.
            leftAtDefault(e.toString());
        } finally {
            delete(directives);
        }
    }

    private static void leftAtDefault(String why) {
        System.getLogger(JitPolicy.class.getName()).log(System.Logger.Level.INFO,
                "JIT left at its default (LICENSE_BATCH_JIT=full silences this): " + why);
    }

    /** The directive is read when it is added: the file is not needed after the call. */
    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
