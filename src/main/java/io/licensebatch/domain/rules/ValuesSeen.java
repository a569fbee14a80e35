package io.licensebatch.domain.rules;

import io.licensebatch.domain.decision.DecisionDetail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The departments, locations and groups an org's learners have tonight, gathered as the rules are evaluated, so
 * that a condition naming a value no learner has can be told. Such a value is a typo more often than not (a
 * rule for {@code Salse} matches nobody, and the Sales learners it was written for fall to a later rule or the
 * default); a rules file is standing policy, though, and a value may be meant for learners who are not there
 * yet, so the run says so rather than refusing.
 */
public final class ValuesSeen {

    private final Map<String, String> departments = new HashMap<>(); // lower case -> as written
    private final Map<String, String> locations = new HashMap<>();
    private final Map<String, String> groups = new HashMap<>();

    public void add(LearnerProfile learner) {
        put(departments, learner.department());
        put(locations, learner.location());
        learner.groups().forEach(group -> put(groups, group));
    }

    private static void put(Map<String, String> values, String value) {
        if (value != null) {
            values.putIfAbsent(value.toLowerCase(Locale.ROOT), value);
        }
    }

    /** One line per condition value of the rules that no learner of the org has, with the nearest one they have. */
    public List<String> unmatched(RuleSet rules) {
        List<String> unmatched = new ArrayList<>();
        for (Rule rule : rules.rules()) {
            unmatched(rule, "department", rule.departments(), departments, unmatched);
            unmatched(rule, "location", rule.locations(), locations, unmatched);
            unmatched(rule, "group", rule.groups(), groups, unmatched);
        }
        return unmatched;
    }

    private static void unmatched(Rule rule, String noun, Set<String> wanted, Map<String, String> seen,
            List<String> unmatched) {
        boolean anyMet = wanted.stream().anyMatch(seen::containsKey);
        for (String value : wanted) {
            if (!seen.containsKey(value)) {
                String nearest = DecisionDetail.closest(value, seen.values())
                        .map(known -> " (did you mean " + known + "?)").orElse("");
                unmatched.add("rule '" + rule.name() + "': no learner has " + noun + " '" + value + "'" + nearest
                        + (anyMet ? ", so that value matches nobody" : ", so the rule matches nobody"));
            }
        }
    }
}
