package io.licensebatch.domain.decision;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.outcome.Reason;

/**
 * One row of a job instance's selection snapshot: a learner (or CSV record) and what to do with it.
 *
 * @param itemNo               position in the snapshot; the keyset and the outcome's key
 * @param orgId                the organization the change is made in
 * @param learnerId            null when the identifier named nobody
 * @param recordNumber         CSV data record number (from 1), null for other selections
 * @param identifier           the learner as the operator or file named them (id, email, external id)
 * @param action               null when the item was rejected while the selection was taken
 * @param targetType           the license type to move to (REASSIGN only)
 * @param expectedAssignmentId the learner's current assignment when the selection was taken, null for none
 * @param expectedLicenseType  that assignment's license type (where the learner's seat comes from)
 * @param rejection            a reason decided while the selection was taken (malformed, duplicate, ...)
 * @param detail               words for a person: what exactly was wrong with a record
 * @param note                 the operator's or file's reason for the change, echoed in the outcome
 * @param sourceExecutionId    the run this item retries or undoes
 */
public record SelectionItem(long itemNo, Long orgId, Long learnerId, Long recordNumber, String identifier,
        Action action, String targetType, Long expectedAssignmentId, String expectedLicenseType, Reason rejection,
        String detail, String note, Long sourceExecutionId) {

    /** A learner the operator named (or a name that found nobody: no learner id); numbered in the order given. */
    public static SelectionItem named(long itemNo, long orgId, Long learnerId, String identifier, Action action,
            String targetType, Long currentAssignmentId, String currentType, Reason rejection, String note) {
        return new SelectionItem(itemNo, orgId, learnerId, null, identifier, action, targetType, currentAssignmentId,
                currentType, rejection, null, note, null);
    }

    /** A learner whose license drifted from what their org's rules give them tonight. */
    public static SelectionItem drifted(long itemNo, long orgId, long learnerId, Action action, String targetType,
            Long currentAssignmentId, String currentType, String note) {
        return new SelectionItem(itemNo, orgId, learnerId, null, null, action, targetType, currentAssignmentId,
                currentType, null, null, note, null);
    }

    /**
     * Whether the item will need a seat in its target pool, as the frozen selection tells it: a reassignment of a
     * learner who was found, is not rejected already and is not on the target (the same rule as
     * {@code SelectionReads.ARRIVAL}, which counts them). Every item that is applied as a reassignment is one.
     */
    public boolean arrivesInTarget() {
        return action == Action.REASSIGN && rejection == null && learnerId != null
                && (expectedLicenseType == null || !expectedLicenseType.equals(targetType));
    }
}
