package io.licensebatch.domain.assignment;

/** An assignment to start: the learner's new current license. */
public record NewAssignment(long learnerId, long orgId, String licenseType) {
}
