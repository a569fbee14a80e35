package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.decision.Decision;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.license.PoolKey;

/**
 * A candidate with the processor's decision, and words on it for the report ({@link
 * io.licensebatch.domain.decision.DecisionDetail}): what the apply step's writer receives.
 */
record Decided(Candidate candidate, Decision decision, String detail) {

    SelectionItem item() {
        return candidate.item();
    }

    long itemNo() {
        return candidate.item().itemNo();
    }

    Action action() {
        return candidate.item().action();
    }

    Long learnerId() {
        return candidate.item().learnerId();
    }

    /** The assignment the selection saw, which the change ends; null when the learner had none. */
    Long expectedAssignmentId() {
        return candidate.item().expectedAssignmentId();
    }

    /** The pool the learner's seat comes from now, or null without a license. */
    PoolKey sourcePool() {
        String current = candidate.learner().currentType();
        return current == null ? null : new PoolKey(candidate.item().orgId(), current);
    }

    /** The pool a reassignment takes a seat from; null for a revoke. */
    PoolKey targetPool() {
        return action() == Action.REASSIGN ? new PoolKey(candidate.item().orgId(), candidate.item().targetType())
                : null;
    }
}
