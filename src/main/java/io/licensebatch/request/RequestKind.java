package io.licensebatch.request;

/** Where a request's selection comes from. */
public enum RequestKind {
    /** Learners matched by filters (license type, status, group, ...), minus the un-checked ones. */
    FILTER,
    /** Exactly the learners the operator named by id or email. */
    LEARNERS,
    /** The records of an uploaded CSV file. */
    CSV,
    /** The failed and retryable-rejected learners of an earlier run. */
    RETRY_FAILED,
    /** The learners an earlier run changed, put back. */
    UNDO,
    /** Everyone on one license type, in one org or all of them. */
    MIGRATE,
    /** The learners whose license drifted from their organization's rules (the nightly run). */
    REORGANISE,
    /** Exactly what a reviewed dry run would have changed. */
    PLAN
}
