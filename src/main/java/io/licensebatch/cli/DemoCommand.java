package io.licensebatch.cli;

import io.licensebatch.demo.SampleDataLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

@Command(name = "demo", header = "Load the sample accounts and run the demo jobs.", mixinStandardHelpOptions = true,
        description = {"Load sample-data/ (two small accounts) into the database and run the demo jobs: a dry",
                "run, a filtered reassign with exclusions, a one-learner revoke, the usage report that shows",
                "prior usage kept, and verify."})
class DemoCommand extends DatabaseCommand {

    static final String ORG = "Acme Learning";

    @Override
    int run(AppContext app) throws Exception {
        PrintWriter out = out();
        SampleDataLoader loader = app.bean(SampleDataLoader.class);
        if (loader.isLoaded()) {
            out.println("Sample data is loaded already (from an earlier demo): running the jobs on it again."
                    + " Delete ./data/ to start from scratch.");
        } else {
            SampleDataLoader.Loaded loaded = loader.load();
            out.printf("Loaded sample-data/: %d organizations, %d learners, %d license assignments, %d activities%n",
                    loaded.organizations(), loaded.learners(), loaded.assignments(), loaded.activities());
        }
        int[] codes = {
            step(app, "What would moving every active LEARNING_PRO learner to LEARNING_HUB do? (dry run: nothing changes)",
                    "reassign", "--org", ORG, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO",
                    "--status", "ACTIVE", "--dry-run"),
            step(app, "Move the active Sales learners on LEARNING_PRO to LEARNING_HUB, leaving Carla Meyer on PRO",
                    "reassign", "--org", ORG, "--to", "LEARNING_HUB", "--license-type", "LEARNING_PRO",
                    "--status", "ACTIVE", "--department", "Sales", "--exclude", "carla.meyer@acme.example",
                    "--note", "demo: Sales moves to Hub"),
            step(app, "Revoke every license of one learner",
                    "revoke", "--org", ORG, "--learner", "bruno.costa@acme.example"),
            step(app, "Their usage is still on the report, under the license types it happened on",
                    "usage", "--org", ORG, "--learner", "bruno.costa@acme.example"),
            step(app, "Check every invariant", "verify"),
        };
        for (int code : codes) {
            if (code != ExitCodes.COMPLETED) {
                return code;
            }
        }
        out.println("\nDemo done. Next: license-batch status, license-batch report EXECUTION, license-batch --help");
        out.flush();
        return ExitCodes.COMPLETED;
    }

    /** Runs one command of the demo on the already started application, as if typed. */
    private int step(AppContext app, String title, String... arguments) throws Exception {
        PrintWriter out = out();
        out.printf("%n== %s%n$ license-batch %s%n", title, String.join(" ", quoted(arguments)));
        out.flush();
        CommandLine commandLine = Cli.commandLine();
        commandLine.setOut(out);
        commandLine.setErr(spec.commandLine().getErr());
        CommandLine.ParseResult parsed = commandLine.parseArgs(arguments);
        DatabaseCommand command = (DatabaseCommand) parsed.subcommand().commandSpec().userObject();
        return command.run(app);
    }

    private static String[] quoted(String[] arguments) {
        String[] shown = new String[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            shown[i] = arguments[i].contains(" ") ? "\"" + arguments[i] + "\"" : arguments[i];
        }
        return shown;
    }
}
