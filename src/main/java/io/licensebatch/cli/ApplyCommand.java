package io.licensebatch.cli;

import io.licensebatch.request.ChangeOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply", header = "Carry out a reviewed dry run exactly, as a new run.", mixinStandardHelpOptions = true,
        description = {"Carry out a reviewed dry run (a plan) exactly: its selection and targets, as a new run. Only",
                "what the plan would have changed can change; a learner whose license changed since the plan is",
                "REJECTED CHANGED_CONCURRENTLY, and a learner the plan rejected stays rejected. A plan is applied",
                "once, and goes past the mass-change guard (it was reviewed); one older than",
                "license-batch.plan-max-age (7 days) is refused."},
        footer = {"", "Example:", "  license-batch reassign --org Acme --to LEARNING_HUB --status ACTIVE --dry-run",
                "  license-batch report 12 --out plan-12.csv        # a colleague reviews it",
                "  license-batch apply 12"})
class ApplyCommand extends JobCommand {

    @Parameters(paramLabel = "EXECUTION", description = "The dry run to carry out (see `status`)")
    long executionId;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why (default: the plan's note)")
    String note;

    @Option(names = "--fail-on-rejections", description = "Exit 5 if any learner is REJECTED")
    boolean failOnRejections;

    @Override
    int run(AppContext app) {
        return submit(app, new ChangeOrder.ApplyPlan(executionId, new ChangeOrder.How(false, note, failOnRejections,
                true, java.util.List.of(), false, operator())));
    }
}
