package io.licensebatch.job.apply;

import io.licensebatch.domain.decision.Candidate;
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
    private LicenseCatalog catalog;

    ApplyProcessor(LicenseTypeGateway licenseTypes) {
        this.licenseTypes = licenseTypes;
    }

    @Override
    public Decided process(Candidate candidate) {
        if (catalog == null) {
            catalog = licenseTypes.catalog();
        }
        return new Decided(candidate, DecisionRules.decide(candidate, catalog));
    }
}
