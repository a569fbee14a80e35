package io.licensebatch.domain.outcome;

/**
 * What happened to one selected learner or CSV record. The names are stable codes: reports, scripts and
 * the README use them, so a code may be added but never renamed.
 */
public enum OutcomeStatus {
    REASSIGNED,
    REVOKED,
    UNCHANGED,
    REJECTED,
    FAILED,
    WOULD_REASSIGN,
    WOULD_REVOKE;

    /** The status a dry run records instead of this one. */
    public OutcomeStatus dryRun() {
        return switch (this) {
            case REASSIGNED -> WOULD_REASSIGN;
            case REVOKED -> WOULD_REVOKE;
            default -> this;
        };
    }
}
