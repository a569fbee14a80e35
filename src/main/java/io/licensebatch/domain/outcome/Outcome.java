package io.licensebatch.domain.outcome;

import io.licensebatch.domain.decision.SelectionItem;

/**
 * What happened to one selection item: the row written, in the chunk's transaction, to
 * {@code license_change_outcome}. Made by the named factories below, from the item it is the outcome of.
 */
public record Outcome(long itemNo, Long orgId, Long learnerId, Long recordNumber, String identifier,
        String previousLicenseType, String newLicenseType, OutcomeStatus status, Reason reason, String detail,
        String note, Long endedAssignmentId, Long newAssignmentId, Long sourceExecutionId) {

    /** Nothing changed: UNCHANGED or REJECTED with a reason, and words on why. */
    public static Outcome settled(SelectionItem item, String currentType, OutcomeStatus status, Reason reason,
            String detail) {
        return of(item, currentType, null, status, reason, detail, null, null);
    }

    /**
     * Not done: the learner belongs to another organization. Nothing of them is recorded in this org's outcome,
     * neither their id nor their license: the record says only what the upload itself said (its identifier).
     */
    public static Outcome inOtherOrg(SelectionItem item, String detail) {
        return new Outcome(item.itemNo(), item.orgId(), null, item.recordNumber(), item.identifier(), null, null,
                OutcomeStatus.REJECTED, Reason.LEARNER_IN_OTHER_ORG, detail, item.note(), null, null,
                item.sourceExecutionId());
    }

    /** Not done, with words for a person on why (say, which pool had no seat). */
    public static Outcome rejected(SelectionItem item, String currentType, Reason reason, String detail) {
        return of(item, currentType, null, OutcomeStatus.REJECTED, reason, detail, null, null);
    }

    /** Nothing changed because of an unexpected data error for this learner: the database's words. */
    public static Outcome failed(SelectionItem item, String currentType, String why) {
        return of(item, currentType, null, OutcomeStatus.FAILED, null, why, null, null);
    }

    public static Outcome revoked(SelectionItem item, String previousType, Long endedAssignmentId) {
        return of(item, previousType, null, OutcomeStatus.REVOKED, null, item.detail(), endedAssignmentId, null);
    }

    public static Outcome reassigned(SelectionItem item, String previousType, Long endedAssignmentId,
            Long newAssignmentId) {
        return of(item, previousType, item.targetType(), OutcomeStatus.REASSIGNED, null, item.detail(),
                endedAssignmentId, newAssignmentId);
    }

    /** The same outcome recorded as a dry run records it: WOULD_*, and no assignments. */
    public Outcome asDryRun() {
        return new Outcome(itemNo, orgId, learnerId, recordNumber, identifier, previousLicenseType, newLicenseType,
                status.dryRun(), reason, detail, note, null, null, sourceExecutionId);
    }

    private static Outcome of(SelectionItem item, String previousType, String newType, OutcomeStatus status,
            Reason reason, String detail, Long ended, Long started) {
        return new Outcome(item.itemNo(), item.orgId(), item.learnerId(), item.recordNumber(), item.identifier(),
                previousType, newType, status, reason, detail, item.note(), ended, started, item.sourceExecutionId());
    }
}
