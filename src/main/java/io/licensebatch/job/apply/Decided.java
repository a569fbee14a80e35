package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.Candidate;
import io.licensebatch.domain.decision.Decision;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.license.PoolKey;

/**
 * A candidate with the processor's decision, and words on it for the report ({@link
 * io.licensebatch.domain.decision.DecisionDetail}): what the apply step's writer receives. Its pools are named once
 * ({@link #of}): the writer asks for them several times per learner.
 *
 * @param sourcePool the pool the learner's seat comes from now, or null without a license
 * @param targetPool the pool a reassignment takes a seat from; null for a revoke
 */
record Decided(Candidate candidate, Decision decision, String detail, PoolKey sourcePool, PoolKey targetPool) {

    static Decided of(Candidate candidate, Decision decision, String detail) {
        String current = candidate.learner().currentType();
        SelectionItem item = candidate.item();
        Long org = item.orgId(); // none for a record that names no org's learner: it changes nothing
        return new Decided(candidate, decision, detail, current == null || org == null ? null : new PoolKey(org, current),
                item.action() == Action.REASSIGN && org != null ? new PoolKey(org, item.targetType()) : null);
    }

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
}
