package io.licensebatch.selection;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.db.SessionTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The start and the end of every selection step. At the end, in the selection's own transaction: mark the
 * selection taken, record the seat pools as they are before anything changes (the summary's "before", and
 * the pools a dry run simulates), and print the seat impact. At the start: if an earlier execution got as
 * far as that commit, the selection is not taken again (the process may have died before the step's own
 * bookkeeping).
 */
@Component
public class SelectionCompletion {

    private static final Logger log = LoggerFactory.getLogger(SelectionCompletion.class);

    private final SelectionCounts selection;
    private final SelectionSnapshot snapshot;
    private final SessionTuning tuning;
    private final SeatPoolGateway pools;
    private final OrganizationGateway organizations;

    public SelectionCompletion(SelectionCounts selection, SelectionSnapshot snapshot, SessionTuning tuning,
            SeatPoolGateway pools, OrganizationGateway organizations) {
        this.selection = selection;
        this.snapshot = snapshot;
        this.tuning = tuning;
        this.pools = pools;
        this.organizations = organizations;
    }

    /** True when the job instance's selection was completed by an earlier execution. */
    public boolean isComplete(long jobInstanceId) {
        OptionalLong taken = selection.taken(jobInstanceId);
        taken.ifPresent(items -> log.info("select: this job instance's selection was taken already ({} items)",
                Numbers.count(items)));
        return taken.isPresent();
    }

    /**
     * Completes the selection in its transaction: refreshes the snapshot table's statistics (unless the caller
     * just did), records it as taken, snapshots the seat pools and logs the seat impact.
     *
     * @param seatsMoveWithLearners a seat transfer: each pool's total follows its learners
     */
    public List<SeatImpact.Line> complete(long jobInstanceId, Collection<Long> orgIds, boolean analyze,
            boolean seatsMoveWithLearners) {
        tuning.allowParallelQueryInThisTransaction();
        if (analyze) {
            tuning.analyze();
        }
        long items = selection.count(jobInstanceId);
        snapshot.markTaken(jobInstanceId, items);
        Collection<Long> orgs = orgIds == null ? selection.orgIds(jobInstanceId) : orgIds;
        pools.snapshot(jobInstanceId, orgs);
        List<SeatPool> current = pools.findByOrgs(orgs);
        List<SeatImpact.Line> lines = SeatImpact.of(selection.seatFlowsAtCompletion(jobInstanceId), current,
                seatsMoveWithLearners);
        log.info("select: {} selected{}", Numbers.count(items),
                lines.isEmpty() ? ", no seat moves" : "; seat impact before any change:\n" + render(lines));
        return lines;
    }

    /** How many pools the seat impact lists: the short ones first, then those with the most moves. */
    static final int SHOWN = 20;

    private String render(List<SeatImpact.Line> lines) {
        List<SeatImpact.Line> shown = lines.stream()
                .sorted(Comparator.comparingLong(SeatImpact.Line::shortfall).reversed()
                        .thenComparing(Comparator.comparingLong((SeatImpact.Line line) -> line.arriving()
                                + line.leaving()).reversed()))
                .limit(SHOWN)
                .sorted(Comparator.comparing(SeatImpact.Line::key))
                .toList();
        Map<Long, String> names = organizations.namesOf(shown.stream().map(line -> line.key().orgId()).toList());
        boolean seatsMove = lines.stream().anyMatch(SeatImpact.Line::seatsMoveWithLearners);
        TextTable table = new TextTable("seat pool", "used of total", "leaving", "arriving",
                seatsMove ? "after (seats move with learners)" : "used after", "short");
        for (SeatImpact.Line line : shown) {
            String org = names.getOrDefault(line.key().orgId(), "org " + line.key().orgId());
            String after = !line.poolExists() ? "-" : seatsMove
                    ? Numbers.count(line.projectedUsed()) + " of " + Numbers.count(line.projectedTotal())
                    : Numbers.count(line.projectedUsed());
            table.row(org + " / " + line.key().licenseType(),
                    line.poolExists() ? Numbers.count(line.seatsUsed()) + " of " + Numbers.count(line.seatsTotal())
                            : "no pool",
                    Numbers.count(line.leaving()), Numbers.count(line.arriving()), after,
                    Numbers.count(line.shortfall()));
        }
        StringBuilder text = new StringBuilder(table.render("  "));
        if (lines.size() > shown.size()) {
            long shortPools = lines.stream().filter(line -> line.shortfall() > 0).count();
            text.append("  ... and ").append(Numbers.count(lines.size() - shown.size())).append(" more pools (")
                    .append(Numbers.count(shortPools)).append(" short in all); the run's summary and status list"
                            + " every pool\n");
        }
        if (lines.stream().anyMatch(line -> line.shortfall() > 0)) {
            text.append("  learners beyond the free seats will be REJECTED NO_SEATS (in selection order)\n");
        }
        if (lines.stream().anyMatch(line -> !line.poolExists() && line.arriving() > 0)) {
            text.append("  learners arriving where there is no pool will be REJECTED NO_POOL (or UNKNOWN_LICENSE_TYPE"
                    + " for a type that does not exist)\n");
        }
        return text.toString().stripTrailing();
    }
}
