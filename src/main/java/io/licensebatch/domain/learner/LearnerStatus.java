package io.licensebatch.domain.learner;

public enum LearnerStatus {
    ACTIVE,
    PENDING,
    DEACTIVATED
}
