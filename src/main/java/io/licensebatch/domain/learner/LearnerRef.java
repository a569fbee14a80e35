package io.licensebatch.domain.learner;

/** Enough of a learner to name them and to tell which organization they belong to. */
public record LearnerRef(long id, long orgId, String email, String displayName) {
}
