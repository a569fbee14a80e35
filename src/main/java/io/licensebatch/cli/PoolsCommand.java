package io.licensebatch.cli;

import io.licensebatch.console.Json;
import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.license.SeatPoolChanges;
import io.licensebatch.domain.license.SeatPoolChanges.Change;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.launch.RequestResolver;
import io.licensebatch.selection.SelectionCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

@Command(name = "pools", header = "An organization's seat pools; set one; their history.", mixinStandardHelpOptions = true, subcommands = PoolsCommand.Set.class,
        description = {"An organization's seat pools: per license type the seats in total, used, available, and",
                "those unfinished runs are still to take; or, with --history, who set which pool when."})
class PoolsCommand extends DatabaseCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--org", paramLabel = "ORG", description = "The organization: id or name (--history: optional)")
    String org;

    @Option(names = "--history", description = "The changes made with `pools set`, newest first")
    boolean history;

    @Option(names = "--limit", defaultValue = "50", description = "--history: how many changes (default:"
            + " ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "JSON instead of text (the shape: README, Machine-readable output)")
    boolean json;

    @Override
    int run(AppContext app) {
        if (history) {
            return history(app);
        }
        if (org == null) {
            throw new UsageException("--org is required: the organization whose pools to show (or --history)");
        }
        Organization organization = app.bean(RequestResolver.class).organization(org);
        List<SeatPool> pools = app.bean(SeatPoolGateway.class).findByOrg(organization.id());
        Map<String, Long> pending = app.bean(SelectionCounts.class).pendingArrivals(organization.id());
        PrintWriter out = out();
        if (json) {
            out.print(Json.write(Json.fields("format", "license-batch.pools/1",
                    "org", Json.fields("id", organization.id(), "name", organization.name()),
                    "pools", pools.stream().map(pool -> Json.fields("licenseType", pool.key().licenseType(),
                            "total", pool.seatsTotal(), "used", pool.seatsUsed(), "available", pool.free(),
                            "pendingInUnfinishedRuns", pending.getOrDefault(pool.key().licenseType(), 0L))).toList())));
            out.flush();
            return ExitCodes.COMPLETED;
        }
        if (pools.isEmpty()) {
            out.println(organization + " has no seat pools. Create one: license-batch pools set --org "
                    + organization.id() + " --type TYPE --seats N");
            out.flush();
            return ExitCodes.COMPLETED;
        }
        TextTable table = new TextTable("license type", "total", "used", "available", "pending in unfinished runs");
        for (SeatPool pool : pools) {
            long waiting = pending.getOrDefault(pool.key().licenseType(), 0L);
            table.row(pool.key().licenseType(), Numbers.count(pool.seatsTotal()), Numbers.count(pool.seatsUsed()),
                    Numbers.count(pool.free()), waiting == 0 ? "" : Numbers.count(waiting)
                            + (waiting > pool.free() ? " (" + Numbers.count(waiting - pool.free()) + " short)" : ""));
        }
        out.println("Seat pools of " + organization + ":");
        out.print(table.render("  "));
        out.println("Pending: learners that unfinished runs (running, stopped or killed mid-way) are still to move onto"
                + " the type.");
        out.println("Set a pool: license-batch pools set --org " + organization.id() + " --type TYPE --seats N");
        out.flush();
        return ExitCodes.COMPLETED;
    }

    private int history(AppContext app) {
        if (limit < 1 || limit > 10_000) {
            throw new UsageException("--limit: " + limit + " is not a number of changes from 1 to 10000");
        }
        Long orgId = org == null ? null : app.bean(RequestResolver.class).organization(org).id();
        List<Change> changes = app.bean(SeatPoolChanges.class).history(orgId, limit);
        PrintWriter out = out();
        if (json) {
            out.print(Json.write(Json.fields("format", "license-batch.pool-history/1",
                    "changes", changes.stream().map(change -> Json.fields("id", change.id(),
                            "org", Json.fields("id", change.orgId(), "name", change.org()),
                            "licenseType", change.licenseType(), "seatsBefore", change.seatsBefore(),
                            "seatsAfter", change.seatsAfter(), "seatsUsed", change.seatsUsed(),
                            "changedBy", change.changedBy(), "changedAt", Json.time(change.changedAt()),
                            "note", change.note())).toList())));
            out.flush();
            return ExitCodes.COMPLETED;
        }
        if (changes.isEmpty()) {
            out.println("No seat pool was set with license-batch" + (org == null ? "" : " in " + org) + " yet.");
            out.flush();
            return ExitCodes.COMPLETED;
        }
        TextTable table = new TextTable("when", "org", "license type", "before", "after", "used then", "by", "note");
        for (Change change : changes) {
            table.row(TIME.format(change.changedAt()), change.org(), change.licenseType(),
                    change.seatsBefore() == null ? "(new pool)" : Numbers.count(change.seatsBefore()),
                    Numbers.count(change.seatsAfter()), Numbers.count(change.seatsUsed()), change.changedBy(),
                    change.note() == null ? "" : change.note());
        }
        out.print(table.render(""));
        out.flush();
        return ExitCodes.COMPLETED;
    }

    @Command(name = "set", header = "Set the seats of an org's pool of one license type.", mixinStandardHelpOptions = true,
            description = {"Set the seats of an org's pool of one license type (creating the pool if the org has",
                    "none): never below the seats in use. Recorded with who and when (pools --history)."})
    static class Set extends DatabaseCommand {

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization: id or name")
        String org;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The license type")
        String type;

        @Option(names = "--seats", required = true, paramLabel = "N", description = "The pool's new total of seats")
        int seats;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why, for the history (a ticket, say)")
        String note;

        @Override
        int run(AppContext app) {
            if (seats < 0) {
                throw new UsageException("--seats: " + seats + " is not a number of seats (0 or more)");
            }
            RequestResolver resolver = app.bean(RequestResolver.class);
            Organization organization = resolver.organization(org);
            String code = resolver.knownType(type, "--type");
            Change change;
            try {
                change = app.bean(SeatPoolChanges.class).set(organization.id(), code, seats, JobCommand.operator(),
                        note == null || note.isBlank() ? null : note.strip());
            } catch (SeatPoolChanges.BelowUsed e) {
                throw new UsageException("--seats " + seats + ": " + organization + " uses " + Numbers.count(e.used)
                        + " seats of " + code + " now; a pool cannot have fewer seats than are in use (revoke"
                        + " licenses first). Nothing was changed.");
            }
            out().printf("%s / %s: %s -> %s seats (%s used, %s available). Recorded: license-batch pools --history"
                            + " --org %d%n", organization.name(), code,
                    change.seatsBefore() == null ? "new pool" : Numbers.count(change.seatsBefore()),
                    Numbers.count(change.seatsAfter()), Numbers.count(change.seatsUsed()),
                    Numbers.count(change.seatsAfter() - change.seatsUsed()), organization.id());
            out().flush();
            return ExitCodes.COMPLETED;
        }
    }
}
