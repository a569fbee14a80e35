package io.licensebatch.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
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
        try (AppContext app = AppContext.start(database)) {
            return run(app);
        }
    }

    abstract int run(AppContext app) throws Exception;

    /** Work that needs no database, started before the application is: it runs while the application starts. */
    void beforeStart() {
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
