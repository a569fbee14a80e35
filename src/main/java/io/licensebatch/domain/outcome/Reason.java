package io.licensebatch.domain.outcome;

import java.util.Arrays;
import java.util.stream.Collectors;

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
    CHANGED_SINCE;

    /**
     * The outcomes retry-failed picks up, as an SQL condition on an outcome table aliased {@code o}: FAILED,
     * and the {@link #isRetryable() retryable} rejections.
     */
    public static final String RETRYABLE_CONDITION = "(o.status = 'FAILED' or o.reason in ("
            + Arrays.stream(values()).filter(Reason::isRetryable).map(reason -> "'" + reason + "'")
                    .collect(Collectors.joining(", ")) + "))";

    /** Rejections that a later run may well not meet again: retry-failed picks these up. */
    public boolean isRetryable() {
        return this == NO_SEATS || this == CHANGED_CONCURRENTLY;
    }
}
