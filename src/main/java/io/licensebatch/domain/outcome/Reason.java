package io.licensebatch.domain.outcome;

/**
 * Why a learner or record was {@link OutcomeStatus#REJECTED} or left {@link OutcomeStatus#UNCHANGED}.
 * Stable codes: add when needed, never rename.
 */
public enum Reason {
    LEARNER_NOT_FOUND,
    LEARNER_IN_OTHER_ORG,
    LEARNER_DEACTIVATED,
    UNKNOWN_LICENSE_TYPE,
    LICENSE_TYPE_RETIRED,
    NO_POOL,
    NO_SEATS,
    ALREADY_ON_TARGET,
    NO_LICENSE_TO_REVOKE,
    DUPLICATE_RECORD,
    CONFLICTING_RECORDS,
    MALFORMED_RECORD,
    CHANGED_CONCURRENTLY,
    /** Undo only: the learner is no longer on what the undone run gave them. */
    CHANGED_SINCE,
    /** Apply of a plan only: the plan did not decide this learner (it FAILED in the dry run): not changed. */
    NOT_IN_PLAN;

    /** Rejections that a later run may well not meet again: retry-failed picks these up. */
    public boolean isRetryable() {
        return this == NO_SEATS || this == CHANGED_CONCURRENTLY;
    }
}
