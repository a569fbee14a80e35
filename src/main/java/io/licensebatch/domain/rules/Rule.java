package io.licensebatch.domain.rules;

import io.licensebatch.domain.learner.LearnerStatus;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;

/**
 * One rule: conditions on learner attributes (all must hold; several values of one attribute are
 * alternatives) and the license it gives. An attribute left out matches everyone. Text compares ignoring
 * case.
 *
 * @param inactiveSince matches learners not active since this date (or never)
 * @param inactiveDays  matches learners not active in the last N days before the run's date (or never)
 */
public record Rule(String name, Set<String> departments, Set<String> locations, Set<String> groups,
        Set<LearnerStatus> statuses, LocalDate inactiveSince, Integer inactiveDays, Target target) {

    public Rule {
        departments = lowerCase(departments);
        locations = lowerCase(locations);
        groups = lowerCase(groups);
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    /** Whether the rule applies to the learner on the given date. */
    public boolean matches(LearnerProfile learner, LocalDate date) {
        return (departments.isEmpty() || contains(departments, learner.department()))
                && (locations.isEmpty() || contains(locations, learner.location()))
                && (groups.isEmpty() || !Collections.disjoint(groups, learner.groups()))
                && (statuses.isEmpty() || statuses.contains(learner.status()))
                && (inactiveSince == null || inactiveSince(learner, inactiveSince))
                && (inactiveDays == null || inactiveSince(learner, date.minusDays(inactiveDays)));
    }

    private static boolean inactiveSince(LearnerProfile learner, LocalDate since) {
        return learner.lastActiveAt() == null || learner.lastActiveAt().isBefore(since.atStartOfDay());
    }

    private static boolean contains(Set<String> values, String value) {
        return value != null && values.contains(value.toLowerCase(Locale.ROOT));
    }

    private static Set<String> lowerCase(Set<String> values) {
        return values == null ? Set.of() : values.stream().map(value -> value.strip().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
