package io.licensebatch.domain.decision;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.outcome.Reason;

import java.util.Objects;

/**
 * The business rules of a license change, as a pure function: no database, no Spring, so every reason
 * code is covered by plain unit tests. Validation failures are decisions (data), never exceptions.
 *
 * <p>Order matters and is part of the contract: a rejection found while the selection was taken wins;
 * then who the learner is (found, in this org); then whether their license moved since the operator
 * confirmed the selection; only then what the change itself asks for.
 */
public final class DecisionRules {

    private DecisionRules() {
    }

    public static Decision decide(Candidate candidate, LicenseCatalog catalog) {
        return decide(candidate, catalog, false);
    }

    /**
     * @param licensedDeactivatedMayMove true in a migration: a deactivated learner's license is swapped for its
     *                                   successor like everyone's (no license is given, one is replaced)
     */
    public static Decision decide(Candidate candidate, LicenseCatalog catalog, boolean licensedDeactivatedMayMove) {
        SelectionItem item = candidate.item();
        LearnerState learner = candidate.learner();
        if (item.rejection() != null) {
            return Decision.rejected(item.rejection());
        }
        if (!learner.exists()) {
            return Decision.rejected(Reason.LEARNER_NOT_FOUND);
        }
        if (!Objects.equals(learner.orgId(), item.orgId())) {
            return Decision.rejected(Reason.LEARNER_IN_OTHER_ORG);
        }
        if (!Objects.equals(learner.currentAssignmentId(), item.expectedAssignmentId())) {
            return Decision.rejected(Reason.CHANGED_CONCURRENTLY);
        }
        return item.action() == Action.REVOKE ? revoke(learner)
                : reassign(item, learner, catalog, licensedDeactivatedMayMove);
    }

    /** Revoking is allowed for every status: taking a seat back from a deactivated learner is routine. */
    private static Decision revoke(LearnerState learner) {
        return learner.hasLicense() ? Decision.revoke() : Decision.unchanged(Reason.NO_LICENSE_TO_REVOKE);
    }

    private static Decision reassign(SelectionItem item, LearnerState learner, LicenseCatalog catalog,
            boolean licensedDeactivatedMayMove) {
        String target = item.targetType();
        boolean swap = licensedDeactivatedMayMove && learner.hasLicense();
        if (learner.status() == LearnerStatus.DEACTIVATED && !swap) {
            return Decision.rejected(Reason.LEARNER_DEACTIVATED);
        }
        if (!catalog.isKnown(target)) {
            return Decision.rejected(Reason.UNKNOWN_LICENSE_TYPE);
        }
        if (catalog.isRetired(target)) {
            return Decision.rejected(Reason.LICENSE_TYPE_RETIRED);
        }
        if (target.equals(learner.currentType())) {
            return Decision.unchanged(Reason.ALREADY_ON_TARGET);
        }
        if (!catalog.hasPool(item.orgId(), target)) {
            return Decision.rejected(Reason.NO_POOL);
        }
        return Decision.reassign();
    }
}
