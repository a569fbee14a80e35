package io.licensebatch.domain.decision;

/** A selection item with its learner's state: what the apply step's processor decides on. */
public record Candidate(SelectionItem item, LearnerState learner) {
}
