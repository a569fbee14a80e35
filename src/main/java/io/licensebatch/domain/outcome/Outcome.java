package io.licensebatch.domain.outcome;

/**
 * What happened to one selection item: the row written, in the chunk's transaction, to
 * {@code license_change_outcome}.
 */
public record Outcome(long itemNo, Long orgId, Long learnerId, Long recordNumber, String identifier,
        String previousLicenseType, String newLicenseType, OutcomeStatus status, Reason reason, String detail,
        String note, Long endedAssignmentId, Long newAssignmentId, Long sourceExecutionId) {
}
