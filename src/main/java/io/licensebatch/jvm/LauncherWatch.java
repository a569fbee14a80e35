package io.licensebatch.jvm;

import java.time.Duration;
import java.util.Optional;

/**
 * In a JVM started by the {@link Launcher}: ends this process at once if the launcher is gone without having
 * passed on a shutdown (it was killed with SIGKILL, say). The job is then where a {@code kill -9} of a
 * single process would leave it: the chunk in flight rolls back, and {@code restart} resumes from the last
 * checkpoint.
 */
public final class LauncherWatch {

    static final Duration INTERVAL = Duration.ofMillis(250);

    /** The exit code of a process killed by SIGKILL, which is what happened to the launcher. */
    static final int KILLED = 137;

    private LauncherWatch() {
    }

    public static void start() {
        String pid = System.getProperty(Launcher.LAUNCHER_PID);
        if (pid == null) {
            return;
        }
        Optional<ProcessHandle> launcher = ProcessHandle.of(Long.parseLong(pid));
        if (launcher.isEmpty()) {
            Runtime.getRuntime().halt(KILLED);
        }
        Thread watch = new Thread(() -> watch(launcher.get()), "license-batch-launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static void watch(ProcessHandle launcher) {
        try {
            while (launcher.isAlive()) {
                Thread.sleep(INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        System.err.println("license-batch: the launcher process (pid " + launcher.pid() + ") was killed;"
                + " ending at once, like it. `license-batch restart` resumes the run from its last checkpoint");
        Runtime.getRuntime().halt(KILLED);
    }
}
