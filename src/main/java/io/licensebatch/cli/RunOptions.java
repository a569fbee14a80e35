package io.licensebatch.cli;

import io.licensebatch.request.ChangeOrder;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** How a change is carried out: the options every command that changes licenses takes. */
class RunOptions {

    @Option(names = "--dry-run", description = "Record what would happen (WOULD_REASSIGN, WOULD_REVOKE, NO_SEATS"
            + " ...) and print the seat impact; change nothing. The run is a plan: `license-batch apply EXECUTION`"
            + " carries it out exactly")
    boolean dryRun;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why: kept with every outcome of this run")
    String note;

    @Option(names = {"--confirm-large-change", "--yes"},
            description = "Let a mass change through the guard (more than license-batch.guard-max-share of an org's"
                    + " learners, or more than guard-max-revokes revokes); on a terminal the command asks instead")
    boolean confirm;

    @Option(names = "--fail-on-rejections", description = "Exit 5 if any learner is REJECTED (NO_SEATS, say), as"
            + " if they had FAILED: for a nightly run that should page someone")
    boolean failOnRejections;

    ChangeOrder.How how(String requestedBy) {
        return how(requestedBy, new ArrayList<>(), false);
    }

    /** For an upload: the columns to ignore, and whether the same file may be uploaded again. */
    ChangeOrder.How how(String requestedBy, List<String> ignoredColumns, boolean uploadAgain) {
        return new ChangeOrder.How(dryRun, note, failOnRejections, confirm, List.copyOf(ignoredColumns), uploadAgain,
                requestedBy);
    }
}
