package io.licensebatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a job described in a YAML spec file (same options as the command, kept in version",
                "control). See jobs/README.md for the format."},
        footer = {"", "Example:", "  license-batch run jobs/reassign-sales-to-hub.yaml --dry-run"})
class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.yaml",
            description = "The job spec; options after it (e.g. --dry-run, --db URL) add to the spec's")
    Path file;

    /** More options for the command, e.g. --dry-run or --db URL: they add to the spec's. */
    @CommandLine.Unmatched
    List<String> extra = new java.util.ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        List<String> arguments = new java.util.ArrayList<>(JobSpec.arguments(file, root));
        arguments.addAll(extra);
        spec.commandLine().getOut().println("run " + file + ": license-batch " + String.join(" ", arguments));
        spec.commandLine().getOut().flush();
        CommandLine command = Cli.commandLine();
        command.setOut(spec.commandLine().getOut());
        command.setErr(spec.commandLine().getErr());
        return command.execute(arguments.toArray(new String[0]));
    }
}
