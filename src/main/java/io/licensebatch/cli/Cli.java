package io.licensebatch.cli;

import io.licensebatch.config.Secrets;
import io.licensebatch.console.TerminalSafe;
import io.licensebatch.config.StartFailureReport;
import io.licensebatch.job.common.AlreadyRunningException;
import io.licensebatch.job.common.NothingToDoException;
import io.licensebatch.remote.BrokerUnreachableException;
import io.licensebatch.request.InvalidRequestException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.NestedExceptionUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** The command line: parses, runs one command, and maps whatever happened to an exit code. */
@Command(name = "license-batch", mixinStandardHelpOptions = true, version = "license-batch 0.1.0",
        description = "Bulk, restartable changes to learners' Learning licenses, as Spring Batch jobs.",
        subcommands = {ReassignCommand.class, RevokeCommand.class, RunCommand.class, ApplyCommand.class,
                StatusCommand.class, RestartCommand.class, RetryFailedCommand.class, UndoCommand.class, StopCommand.class,
                ReportCommand.class, VerifyCommand.class, UsageCommand.class, PoolsCommand.class,
                ReorganiseCommand.class, MigrateCommand.class, WorkerCommand.class, DemoCommand.class, GenerateCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the job completed (rejected learners are not a failure)",
                "1:the job failed or was stopped; verify found violations",
                "2:bad usage, bad input or a bad setting, detected before anything changed",
                "3:refused: that job instance is already running",
                "4:blocked by the mass-change guard: nothing changed (confirm, or apply a reviewed dry run)",
                "5:completed, but some learners FAILED (or, with --fail-on-rejections, were REJECTED)"},
        footer = {"%nDatabase: --db URL, or LICENSE_BATCH_DB_URL (+ LICENSE_BATCH_DB_USER, LICENSE_BATCH_DB_PASSWORD);"
                + " default: an embedded H2 file database under ./data/."})
public class Cli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command");
    }

    /** The process's command line: what it prints to the terminal has its control characters written out. */
    public static int execute(String... args) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(TerminalSafe.around(commandLine.getOut()));
        commandLine.setErr(TerminalSafe.around(commandLine.getErr()));
        return commandLine.execute(args);
    }

    /** The command line with license-batch's exit-code mapping, for embedding (and tests). */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Cli());
        // "@FILE" is text, never "the arguments in FILE": a --note "@ticket.txt" whose file read --yes confirmed
        // a mass change, and a reviewed spec's value could bring options of its own.
        commandLine.setExpandAtFiles(false);
        commandLine.setExecutionExceptionHandler(Cli::handle);
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.registerConverter(java.time.LocalDate.class, new DateConverter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    private static int handle(Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int code;
        String message;
        String badSetting = badSetting(failure);
        if (failure instanceof InvalidRequestException || failure instanceof UsageException
                || failure instanceof NothingToDoException) {
            code = ExitCodes.BAD_INPUT;
            message = failure.getMessage();
        } else if (failure instanceof AlreadyRunningException) {
            code = ExitCodes.ALREADY_RUNNING;
            message = failure.getMessage();
        } else if (failure instanceof BrokerUnreachableException) {
            code = ExitCodes.FAILED;
            message = failure.getMessage();
        } else if (badSetting != null) {
            code = ExitCodes.BAD_INPUT;
            message = badSetting;
        } else {
            code = ExitCodes.FAILED;
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
            message = "failed: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage())
                    + hint(cause);
        }
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + Secrets.mask(message));
        err.flush();
        return code;
    }

    /** A command line picocli cannot parse: its message (secrets masked) and the command's usage, exit 2. */
    private static int usageError(CommandLine.ParameterException failure, String[] args) {
        CommandLine commandLine = failure.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("license-batch: " + Secrets.mask(failure.getMessage()));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(failure, err)) {
            err.println("Try: " + commandLine.getCommandSpec().qualifiedName() + " --help");
        }
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    /**
     * A setting the application cannot start with (a number that is not one, a chunk size of 0): which setting,
     * where it came from, why, and what to do; null when the failure is not that. The value is shown unless the
     * setting's name says it is a secret.
     */
    static String badSetting(Throwable failure) {
        return StartFailureReport.badSetting(failure).map(Cli::describe).orElse(null);
    }

    private static String describe(BindException bind) {
        ConfigurationProperty property = bind.getProperty();
        Throwable why = NestedExceptionUtils.getMostSpecificCause(bind);
        Class<?> type = bind.getTarget().getType().resolve(Object.class);
        if (property == null) {
            return "bad setting: " + why.getMessage() + ". Fix or unset it (an environment variable LICENSE_BATCH_..."
                    + " or a license-batch.* property); the settings and their defaults are in the README";
        }
        String name = property.getName().toString();
        boolean secret = Secrets.isSecretName(name);
        return "bad setting " + name + (secret ? "" : " = \"" + property.getValue() + "\"")
                + (property.getOrigin() == null ? "" : " (from " + property.getOrigin() + ")") + ": not "
                + expected(type, secret ? null : why) + ". Fix or unset it; the settings and their defaults are in the"
                + " README";
    }

    /** What a setting of this type looks like, in words. */
    private static String expected(Class<?> type, Throwable why) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.toString().toLowerCase(java.util.Locale.ROOT))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number (at most 2147483647)";
        }
        if (type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number (such as 0.10)";
        }
        if (type == java.time.Duration.class) {
            return "a duration (such as 500ms, 2s, 5m or 7d)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return why == null ? "usable" : "usable: " + why.getMessage();
    }

    /** What to try next when the database itself is the problem. */
    private static String hint(Throwable cause) {
        String text = String.valueOf(cause.getMessage()) + cause.getClass().getName();
        if (text.contains("Connection refused") || text.contains("Connection to") || text.contains("ConnectException")) {
            return "\nIs the database running and reachable? Check --db or LICENSE_BATCH_DB_URL.";
        }
        if (text.contains("FATAL: database") && text.contains("does not exist")) {
            return "\nCreate the database first (createdb NAME, or CREATE DATABASE NAME), or check its name in --db or"
                    + " LICENSE_BATCH_DB_URL; license-batch creates its tables itself.";
        }
        if (text.contains("password authentication failed") || text.contains("FATAL: role")) {
            return "\nCheck the user and password: LICENSE_BATCH_DB_USER and LICENSE_BATCH_DB_PASSWORD, or ?user= in"
                    + " --db.";
        }
        if (text.contains("Database may be already in use") || text.contains("file is locked")) {
            return "\nThe embedded database is open in another license-batch process; wait for it, or use"
                    + " PostgreSQL (--db) to run jobs side by side.";
        }
        return "";
    }
}
