package io.licensebatch.cli;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import io.licensebatch.console.Numbers;
import io.licensebatch.console.TerminalSafe;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.learner.LearnerRef;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.usage.UsageGateway;
import io.licensebatch.domain.usage.UsageGateway.AssignmentUsage;
import io.licensebatch.launch.RequestResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "usage", header = "Usage per learner and license type, prior assignments included.", mixinStandardHelpOptions = true,
        description = {"Usage per learner and license type, prior assignments included: the report that shows",
                "prior usage survived a reassignment or a revoke, under the type it happened on."})
class UsageCommand extends DatabaseCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final int PREVIEW = 20;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization: id or name")
    String org;

    @Option(names = "--learner", paramLabel = "ID|EMAIL|EXTERNAL_ID", description = "One learner: every assignment and its usage")
    String learner;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Every learner's usage per license type, as CSV")
    Path csv;

    @Option(names = "--force", description = "With --out: replace the file if it exists")
    boolean force;

    @Override
    int run(AppContext app) throws IOException {
        RequestResolver resolver = app.bean(RequestResolver.class);
        Organization organization = resolver.organization(org);
        UsageGateway usage = app.bean(UsageGateway.class);
        if (learner != null && csv != null) {
            throw new UsageException("--learner and --out: choose one (--learner shows one learner's assignments,"
                    + " --out writes every learner's usage as CSV)");
        }
        if (learner != null) {
            resolver.refuseAmbiguousNames(organization, "--learner", List.of(learner));
            LearnerRef ref = app.bean(LearnerGateway.class).find(learner, organization.id())
                    .filter(found -> found.orgId() == organization.id())
                    .orElseThrow(() -> new UsageException("--learner: no learner '" + learner + "' in " + organization));
            return learner(ref, usage.byAssignment(ref.id()), organization);
        }
        PrintWriter out = out();
        TextTable totals = new TextTable("license type", "learners", "activities", "time viewed");
        usage.byType(organization.id()).forEach(type -> totals.row(type.licenseType(), Numbers.count(type.learners()),
                Numbers.count(type.activities()), Numbers.duration(Duration.ofSeconds(type.secondsViewed()))));
        out.println("usage in " + organization + ", under the license type each activity happened on:");
        out.print(totals.render("  "));
        if (csv != null) {
            return writeCsv(usage, organization);
        }
        TextTable learners = new TextTable("learner", "email", "license type", "", "activities", "time viewed");
        AtomicLong rows = new AtomicLong();
        usage.byLearnerAndType(organization.id(), rs -> {
            if (rows.incrementAndGet() <= PREVIEW) {
                learners.row(rs.getLong("learner_id"), rs.getString("email"), rs.getString("license_type"),
                        rs.getInt("current_type") == 1 ? "current" : "prior", Numbers.count(rs.getLong("activities")),
                        Numbers.duration(Duration.ofSeconds(rs.getLong("seconds_viewed"))));
            }
        });
        out.println();
        out.print(learners.render("  "));
        if (rows.get() > PREVIEW) {
            out.printf("  ... %s more rows: --out FILE.csv writes them all, --learner ID|EMAIL|EXTERNAL_ID shows one learner%n",
                    Numbers.count(rows.get() - PREVIEW));
        }
        out.flush();
        return ExitCodes.COMPLETED;
    }

    private int learner(LearnerRef ref, List<AssignmentUsage> assignments, Organization organization) {
        PrintWriter out = out();
        out.printf("usage of %s <%s> (learner %d, %s)%n", TerminalSafe.inline(ref.displayName()),
                TerminalSafe.inline(ref.email()), ref.id(), TerminalSafe.inline(organization.name()));
        TextTable table = new TextTable("license type", "assigned", "ended", "activities", "time viewed",
                "last activity");
        for (AssignmentUsage assignment : assignments) {
            table.row(assignment.licenseType(), TIME.format(assignment.assignedAt()),
                    assignment.endedAt() == null ? "current"
                            : TIME.format(assignment.endedAt()) + " (" + assignment.endReason() + ")",
                    Numbers.count(assignment.activities()),
                    Numbers.duration(Duration.ofSeconds(assignment.secondsViewed())),
                    assignment.lastActivity() == null ? "-" : TIME.format(assignment.lastActivity()));
        }
        out.print(assignments.isEmpty() ? "  no license assignments, ever\n" : table.render("  "));
        out.flush();
        return ExitCodes.COMPLETED;
    }

    private int writeCsv(UsageGateway usage, Organization organization) throws IOException {
        AtomicLong rows = new AtomicLong();
        try (OutputFile file = OutputFile.open(csv, force, "--out")) {
            CSVWriter writer = new CSVWriter(file.writer(), ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER,
                    ICSVWriter.DEFAULT_ESCAPE_CHARACTER, "\r\n");
            writer.writeNext(new String[] {"learner_id", "email", "license_type", "current", "activities",
                    "seconds_viewed"}, false);
            usage.byLearnerAndType(organization.id(), rs -> {
                writer.writeNext(new String[] {String.valueOf(rs.getLong("learner_id")),
                        io.licensebatch.console.SpreadsheetSafe.text(rs.getString("email")),
                        rs.getString("license_type"), rs.getInt("current_type") == 1 ? "true" : "false",
                        String.valueOf(rs.getLong("activities")), String.valueOf(rs.getLong("seconds_viewed"))}, false);
                rows.incrementAndGet();
            });
            writer.flush();
            file.commit();
        }
        out().printf("Wrote %s rows to %s%n", Numbers.count(rows.get()), csv);
        out().flush();
        return ExitCodes.COMPLETED;
    }
}
