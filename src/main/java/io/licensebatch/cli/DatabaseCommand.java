package io.licensebatch.cli;

import io.licensebatch.db.EmbeddedDatabaseHolder;
import io.licensebatch.job.common.AlreadyRunningException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** A command that needs the database: starts the application on it, runs, and closes it again. */
abstract class DatabaseCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        beforeStart();
        AppContext started;
        try {
            started = AppContext.start(database, settings());
        } catch (RuntimeException failure) {
            if (!isLockedByAnotherProcess(failure)) {
                throw failure;
            }
            return whenHeld(EmbeddedDatabaseHolder.of(database.jdbcUrl(System.getenv())));
        }
        try (AppContext app = started) {
            return run(app);
        }
    }

    /**
     * The embedded H2 database is open in another process (H2 opens a file database in one at a time): refused,
     * naming that process and what to do. {@code stop} reaches the process without the database instead.
     */
    int whenHeld(Optional<EmbeddedDatabaseHolder.Holder> holder) throws Exception {
        throw new AlreadyRunningException("the embedded database is open in another license-batch process"
                + holder.map(h -> " (" + h.describe() + ")").orElse("") + ", and H2 opens a file database in one"
                + " process at a time. Wait for it to end (its own output shows its progress), or stop it:"
                + holder.map(h -> h.execution() == null ? " it is not running a job; let it finish"
                        : " license-batch stop " + h.execution() + " (reaches it by its pid: it stops at the next"
                                + " chunk boundary)").orElse(" license-batch stop EXECUTION")
                + ". To watch runs from a second shell while they go, use PostgreSQL (--db)");
    }

    private static boolean isLockedByAnotherProcess(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("Database may be already in use") || message.contains("The file is locked")) {
                return true;
            }
        }
        return false;
    }

    abstract int run(AppContext app) throws Exception;

    /** Application settings this command adds, as Spring arguments ({@code --license-batch.x=y}). */
    List<String> settings() {
        return List.of();
    }

    /** Checks and work that need no database, before the application starts (and the database opens). */
    void beforeStart() {
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
