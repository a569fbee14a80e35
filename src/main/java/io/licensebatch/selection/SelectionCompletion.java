package io.licensebatch.selection;

import io.licensebatch.console.Numbers;
import io.licensebatch.console.TextTable;
import io.licensebatch.domain.license.SeatPool;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.db.SessionTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
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

    private static final Logger log = LoggerFactory.getLogger("license-batch");

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
     */
    public List<SeatImpact.Line> complete(long jobInstanceId, Collection<Long> orgIds, boolean analyze) {
        tuning.allowParallelQueryInThisTransaction();
        if (analyze) {
            tuning.analyze();
        }
        long items = selection.count(jobInstanceId);
        snapshot.markTaken(jobInstanceId, items);
        Collection<Long> orgs = orgIds == null ? selection.orgIds(jobInstanceId) : orgIds;
        pools.snapshot(jobInstanceId, orgs);
        List<SeatPool> current = pools.findByOrgs(orgs);
        List<SeatImpact.Line> lines = SeatImpact.of(selection.seatFlows(jobInstanceId), current);
        log.info("select: {} selected{}", Numbers.count(items),
                lines.isEmpty() ? ", no seat moves" : "; seat impact before any change:\n" + render(lines));
        return lines;
    }

    private String render(List<SeatImpact.Line> lines) {
        TextTable table = new TextTable("seat pool", "used of total", "leaving", "arriving", "used after", "short");
        for (SeatImpact.Line line : lines) {
            String org = organizations.findById(line.key().orgId()).map(Organization::name)
                    .orElse("org " + line.key().orgId());
            table.row(org + " / " + line.key().licenseType(),
                    line.poolExists() ? Numbers.count(line.seatsUsed()) + " of " + Numbers.count(line.seatsTotal())
                            : "no pool",
                    Numbers.count(line.leaving()), Numbers.count(line.arriving()),
                    Numbers.count(line.projectedUsed()), Numbers.count(line.shortfall()));
        }
        String text = table.render("  ");
        boolean anyShort = lines.stream().anyMatch(line -> line.shortfall() > 0);
        return anyShort ? text + "  learners beyond the free seats will be REJECTED NO_SEATS (in selection order)"
                : text.stripTrailing();
    }
}
