package io.licensebatch.domain.decision;

import io.licensebatch.domain.learner.LearnerStatus;

/**
 * A learner as the apply step finds them when it reads their page: which org, which status, which
 * current assignment. {@link #NOT_FOUND} when the learner does not exist.
 */
public record LearnerState(boolean exists, Long orgId, LearnerStatus status, Long currentAssignmentId,
        String currentType) {

    public static final LearnerState NOT_FOUND = new LearnerState(false, null, null, null, null);

    public static LearnerState of(long orgId, LearnerStatus status, Long currentAssignmentId, String currentType) {
        return new LearnerState(true, orgId, status, currentAssignmentId, currentType);
    }

    public boolean hasLicense() {
        return currentAssignmentId != null;
    }
}
