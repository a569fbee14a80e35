package io.licensebatch.domain.rules;

import io.licensebatch.domain.learner.LearnerStatus;

import java.time.LocalDateTime;
import java.util.Set;

/** What rules look at: a learner's attributes, as they are tonight. Groups and text are lower-case. */
public record LearnerProfile(LearnerStatus status, String department, String location, Set<String> groups,
        LocalDateTime lastActiveAt) {
}
