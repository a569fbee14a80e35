package io.licensebatch.cli;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.request.ChangeOrder;
import io.licensebatch.selection.csv.CsvUpload;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code reassign} and {@code revoke}: an order from the options, carried out by the launch service. */
abstract class ChangeCommand extends JobCommand {

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization: id or name")
    String org;

    @Mixin
    SelectionOptions selection;

    @Mixin
    RunOptions run;

    abstract Action action();

    abstract String target();

    @Override
    void beforeStart() {
        super.beforeStart();
        String csv = selection.spec().csvFile();
        if (csv != null) {
            CsvUpload.checkAhead(Path.of(csv), selection.ignoredColumns());
        }
    }

    @Override
    int run(AppContext app) {
        return submit(app, new ChangeOrder.Change(org, action(), target(), selection.spec(),
                run.how(operator(), selection.ignoredColumns(), selection.uploadAgain)));
    }
}
