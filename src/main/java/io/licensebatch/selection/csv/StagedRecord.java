package io.licensebatch.selection.csv;

import io.licensebatch.domain.assignment.Action;

/**
 * An upload record as staged, before its learner is looked up: who it names (and by which column), what it
 * asks for, and why it is malformed if it is.
 *
 * @param identifierColumn {@code learner_id}, {@code external_id} or {@code email}; null when malformed
 * @param targetType       the license type asked for, matched to a known code where one matches
 */
public record StagedRecord(long recordNumber, String identifierColumn, String identifier, Action action,
        String targetType, String note, String malformed) {
}
