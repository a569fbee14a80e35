package io.licensebatch.cli;

import io.licensebatch.config.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "run", header = "Run a reviewed job spec (a YAML file of a command's options).", mixinStandardHelpOptions = true,
        description = {"Run a job described in a YAML spec file (the command's options, reviewed and kept in",
                "version control). See jobs/README.md for the format. Options after the file may say where and",
                "how it runs (--db, --dry-run, --note, --confirm-large-change, --fail-on-rejections), never",
                "what it changes: that is the spec's, as it was reviewed."},
        footer = {"", "Example:", "  license-batch run jobs/reassign-sales-to-hub.yaml --dry-run"})
class RunCommand implements Callable<Integer> {

    /** What may follow the spec: where and how it runs, never what it selects or where learners go. */
    static final Set<String> OVERRIDES = Set.of("--db", "--dry-run", "--note", "--confirm-large-change", "--yes",
            "--fail-on-rejections", "--summary-json", "--workers");

    /** Options that take a value. */
    private static final Set<String> WITH_VALUE = Set.of("--db", "--note", "--summary-json", "--workers");

    @Parameters(index = "0", paramLabel = "FILE.yaml",
            description = "The job spec; then --db URL, --dry-run, --note TEXT, --confirm-large-change,"
                    + " --fail-on-rejections, --summary-json FILE, --workers local|remote")
    Path file;

    /** Where and how: --db URL, --dry-run, --note TEXT (replaces the spec's), --confirm-large-change ... */
    @CommandLine.Unmatched
    List<String> extra = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        List<String> arguments = new ArrayList<>(JobSpec.arguments(file, root));
        override(arguments, extra);
        spec.commandLine().getOut().println("run " + file + ": license-batch " + Secrets.quotedCommandLine(arguments));
        spec.commandLine().getOut().flush();
        CommandLine command = Cli.commandLine();
        command.setOut(spec.commandLine().getOut());
        command.setErr(spec.commandLine().getErr());
        return command.execute(arguments.toArray(new String[0]));
    }

    /**
     * Adds the options given after the spec: only {@link #OVERRIDES}; a --note replaces the spec's, a flag the spec
     * has already is not given twice. Anything else is refused: a reviewed spec must not widen, or change, silently.
     */
    static void override(List<String> arguments, List<String> extra) {
        for (int i = 0; i < extra.size(); i++) {
            String option = extra.get(i);
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (!OVERRIDES.contains(name)) {
                throw new UsageException("'" + option + "' after a spec: a spec is run as it was reviewed; only "
                        + String.join(", ", OVERRIDES.stream().sorted().toList()) + " may follow it. To change what it"
                        + " selects or where learners go, change the spec (and have it reviewed)");
            }
            String value = null;
            if (WITH_VALUE.contains(name)) {
                if (option.contains("=")) {
                    value = option.substring(option.indexOf('=') + 1);
                } else if (i + 1 < extra.size()) {
                    value = extra.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
            }
            int present = arguments.indexOf(name);
            if (present >= 0 && value != null) {
                arguments.set(present + 1, value);
            } else if (present < 0) {
                arguments.add(name);
                if (value != null) {
                    arguments.add(value);
                }
            }
        }
    }
}
