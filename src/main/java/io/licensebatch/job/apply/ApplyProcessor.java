package io.licensebatch.job.apply;

import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.decision.Decision;
import io.licensebatch.domain.decision.DecisionDetail;
import io.licensebatch.domain.decision.DecisionRules;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.license.LicenseTypeGateway;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Decides per learner with the plain-Java {@link DecisionRules}; no database writes. The license catalog
 * is read once, when the step's first item arrives.
 */
class ApplyProcessor implements ItemProcessor<Candidate, Decided> {

    private final LicenseTypeGateway licenseTypes;
    private final boolean licensedDeactivatedMayMove;
    private final boolean poolsOnDemand;
    private LicenseCatalog catalog;

    /**
     * @param licensedDeactivatedMayMove a migration: deactivated holders are swapped too
     * @param poolsOnDemand              a seat transfer: the target pools exist or are created for the run
     */
    ApplyProcessor(LicenseTypeGateway licenseTypes, boolean licensedDeactivatedMayMove, boolean poolsOnDemand) {
        this.licenseTypes = licenseTypes;
        this.licensedDeactivatedMayMove = licensedDeactivatedMayMove;
        this.poolsOnDemand = poolsOnDemand;
    }

    @Override
    public Decided process(Candidate candidate) {
        if (catalog == null) {
            catalog = poolsOnDemand ? licenseTypes.catalog().withPoolsOnDemand() : licenseTypes.catalog();
        }
        Decision decision = DecisionRules.decide(candidate, catalog, licensedDeactivatedMayMove);
        return Decided.of(candidate, decision, DecisionDetail.of(decision, candidate, catalog));
    }
}
