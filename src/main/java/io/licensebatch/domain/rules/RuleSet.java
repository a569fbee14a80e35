package io.licensebatch.domain.rules;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * An organization's rules, in order: the first rule that matches decides; learners no rule matches get the
 * default, or are left alone when there is none.
 */
public record RuleSet(String organization, List<Rule> rules, Target defaultTarget) {

    public RuleSet {
        rules = List.copyOf(rules);
    }

    /** The license the rules give this learner tonight; empty when the rules leave them alone. */
    public Optional<Target> targetFor(LearnerProfile learner, LocalDate date) {
        for (Rule rule : rules) {
            if (rule.matches(learner, date)) {
                return Optional.of(rule.target());
            }
        }
        return Optional.ofNullable(defaultTarget);
    }

    /**
     * Which rule gives this learner their license tonight, in words: {@code rule 2 ('Sales to Hub')} (its place in
     * the org's list, and its name), or {@code the default}.
     */
    public String because(LearnerProfile learner, LocalDate date) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.matches(learner, date)) {
                return "rule " + (i + 1) + (rule.name() == null || rule.name().isBlank() ? "" : " ('" + rule.name() + "')");
            }
        }
        return "the default";
    }

    /**
     * Whether a learner on {@code currentType} (null: no license) has drifted from what the rules give them:
     * only those are changed at night.
     */
    public Optional<Target> drift(LearnerProfile learner, String currentType, LocalDate date) {
        return targetFor(learner, date).filter(target -> target.isRevoke() ? currentType != null
                : !target.licenseType().equals(currentType));
    }
}
