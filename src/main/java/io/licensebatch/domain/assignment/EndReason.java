package io.licensebatch.domain.assignment;

/** Why an assignment ended: the learner moved to another type, or lost their license. */
public enum EndReason {
    REASSIGNED,
    REVOKED
}
