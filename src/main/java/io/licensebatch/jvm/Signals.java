package io.licensebatch.jvm;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What SIGTERM (a scheduler, Kubernetes) and Ctrl-C do to a license-batch process: the command in hand is told
 * to stop ({@link #onStop}: a running job stops at its next chunk boundary), the process waits until the command
 * has ended as it would have anyway (the job STOPPED, its last line printed, the database closed), and then it
 * exits with the command's exit code (1 for a stopped run), not with the JVM's 143.
 *
 * <p>The JVM runs shutdown hooks on a signal while the main thread goes on, and from then on the main thread's
 * {@code System.exit} blocks and the JVM exits with 143 once the hooks are done; Spring's own hook would also
 * close the application (its connection pool) under the running command. So Spring's hook is off
 * ({@code spring.main.register-shutdown-hook=false}), the command closes the application itself, and this one
 * hook owns the end of the process.
 */
public final class Signals {

    /** How long the hook waits for the command to end after the stop request, beyond the chunk it is in. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private static final List<Runnable> STOPPERS = new CopyOnWriteArrayList<>();
    private static final CountDownLatch ENDED = new CountDownLatch(1);
    private static volatile int exitCode = 1;
    private static volatile Duration maxWait = Duration.ofSeconds(20);

    private Signals() {
    }

    /** Installs the hook, once, before the command runs. */
    public static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(Signals::onSignal, "license-batch-signal"));
    }

    /**
     * Registers what stops the work in hand (and returns how to take it back when that work is over).
     *
     * @param wait how long that work may take to stop (the chunk in flight)
     */
    public static Runnable onStop(Runnable stopper, Duration wait) {
        maxWait = wait;
        STOPPERS.add(stopper);
        return () -> STOPPERS.remove(stopper);
    }

    /** The command has ended with this exit code: the process may end now, signalled or not. */
    public static void ended(int code) {
        exitCode = code;
        ENDED.countDown();
    }

    private static void onSignal() {
        if (ENDED.getCount() == 0) {
            return; // the command ended and called System.exit: nothing to wait for
        }
        STOPPERS.forEach(Runnable::run);
        boolean ended;
        try {
            ended = ENDED.await(maxWait.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        PrintStream err = System.err;
        if (!ended) {
            err.println("license-batch: the command did not end within " + maxWait.plus(GRACE).toSeconds()
                    + " s of the stop request; ending now. Whatever was not committed is rolled back, and"
                    + " `license-batch restart` resumes the run from its last checkpoint");
        }
        System.out.flush();
        err.flush();
        Runtime.getRuntime().halt(ended ? exitCode : 1);
    }
}
