package io.licensebatch.domain.rules;

import io.licensebatch.domain.learner.LearnerStatus;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RuleSetTest {

    private static final LocalDate NIGHT = LocalDate.of(2026, 11, 26);
    private static final Target HUB = new Target("HUB");
    private static final Target PRO = new Target("PRO");
    private static final Target ESSENTIALS = new Target("ESSENTIALS");

    @Test
    void theFirstMatchingRuleWins() {
        RuleSet rules = new RuleSet("Acme", List.of(rule().department("Sales").gives(HUB),
                rule().department("Sales").location("Berlin").gives(PRO)), null);

        assertThat(rules.targetFor(learner().department("Sales").location("Berlin").build(), NIGHT)).contains(HUB);
    }

    @Test
    void learnersNoRuleMatchesGetTheDefaultOrAreLeftAlone() {
        Rule sales = rule().department("Sales").gives(HUB);
        LearnerProfile support = learner().department("Support").build();

        assertThat(new RuleSet("Acme", List.of(sales), ESSENTIALS).targetFor(support, NIGHT)).contains(ESSENTIALS);
        assertThat(new RuleSet("Acme", List.of(sales), null).targetFor(support, NIGHT)).isEmpty();
        assertThat(new RuleSet("Acme", List.of(), Target.REVOKE).targetFor(support, NIGHT)).contains(Target.REVOKE);
    }

    @Test
    void departmentAndLocationMatchAnyOfTheirValuesIgnoringCase() {
        Rule rule = rule().department("Sales", "Support").location("berlin").gives(HUB);

        assertThat(rule.matches(learner().department("SALES").location("Berlin").build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().department("support").location("BERLIN").build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().department("Finance").location("Berlin").build(), NIGHT)).isFalse();
        assertThat(rule.matches(learner().department("Sales").location("Austin").build(), NIGHT)).isFalse();
        assertThat(rule.matches(learner().location("Berlin").build(), NIGHT)).as("no department").isFalse();
    }

    @Test
    void groupMatchesAMemberOfAnyOfTheGroups() {
        Rule rule = rule().group("EMEA", "Managers").gives(PRO);

        assertThat(rule.matches(learner().groups("managers", "new hires").build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().groups("new hires").build(), NIGHT)).isFalse();
        assertThat(rule.matches(learner().build(), NIGHT)).isFalse();
    }

    @Test
    void statusMatchesAnyOfTheStatuses() {
        Rule rule = rule().status(LearnerStatus.DEACTIVATED, LearnerStatus.PENDING).gives(Target.REVOKE);

        assertThat(rule.matches(learner().status(LearnerStatus.DEACTIVATED).build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().status(LearnerStatus.PENDING).build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().status(LearnerStatus.ACTIVE).build(), NIGHT)).isFalse();
    }

    @Test
    void inactiveSinceMatchesLearnersNotActiveSinceTheDateOrNever() {
        Rule rule = rule().inactiveSince(LocalDate.of(2026, 6, 1)).gives(ESSENTIALS);

        assertThat(rule.matches(learner().lastActive(LocalDateTime.of(2026, 5, 31, 23, 59)).build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().lastActive(null).build(), NIGHT)).isTrue();
        assertThat(rule.matches(learner().lastActive(LocalDateTime.of(2026, 6, 1, 0, 0)).build(), NIGHT)).isFalse();
    }

    @Test
    void inactiveForDaysCountsBackFromTheNight() {
        Rule rule = rule().inactiveDays(90).gives(ESSENTIALS);
        LearnerProfile lastSeenInAugust = learner().lastActive(LocalDateTime.of(2026, 8, 20, 12, 0)).build();

        assertThat(rule.matches(lastSeenInAugust, NIGHT)).isTrue();
        assertThat(rule.matches(lastSeenInAugust, LocalDate.of(2026, 10, 1))).isFalse();
    }

    @Test
    void allConditionsOfARuleMustHold() {
        Rule rule = rule().department("Sales").status(LearnerStatus.ACTIVE).group("EMEA").gives(HUB);

        assertThat(rule.matches(learner().department("Sales").status(LearnerStatus.ACTIVE).groups("emea").build(),
                NIGHT)).isTrue();
        assertThat(rule.matches(learner().department("Sales").status(LearnerStatus.PENDING).groups("emea").build(),
                NIGHT)).isFalse();
    }

    @Test
    void aRuleWithoutConditionsMatchesEveryone() {
        assertThat(rule().gives(PRO).matches(learner().build(), NIGHT)).isTrue();
    }

    @Test
    void onlyLearnersWhoseLicenseDiffersFromTheRulesHaveDrifted() {
        RuleSet rules = new RuleSet("Acme", List.of(rule().department("Sales").gives(HUB),
                rule().status(LearnerStatus.DEACTIVATED).gives(Target.REVOKE)), null);
        LearnerProfile sales = learner().department("Sales").build();
        LearnerProfile gone = learner().status(LearnerStatus.DEACTIVATED).build();
        LearnerProfile other = learner().department("Finance").build();

        assertThat(rules.drift(sales, "PRO", NIGHT)).contains(HUB);
        assertThat(rules.drift(sales, null, NIGHT)).contains(HUB);
        assertThat(rules.drift(sales, "HUB", NIGHT)).isEmpty();
        assertThat(rules.drift(gone, "PRO", NIGHT)).contains(Target.REVOKE);
        assertThat(rules.drift(gone, null, NIGHT)).as("nothing to revoke").isEmpty();
        assertThat(rules.drift(other, "PRO", NIGHT)).as("no rule, no default: left alone").isEmpty();
    }

    @Test
    void theRuleThatGivesALearnerTheirLicenseIsNamedForTheReport() {
        RuleSet rules = new RuleSet("Acme", List.of(rule().department("Sales").gives(HUB),
                rule().status(LearnerStatus.DEACTIVATED).gives(Target.REVOKE)), ESSENTIALS);

        assertThat(rules.because(learner().department("Sales").build(), NIGHT)).isEqualTo("rule 1 ('test')");
        assertThat(rules.because(learner().status(LearnerStatus.DEACTIVATED).build(), NIGHT)).isEqualTo("rule 2 ('test')");
        assertThat(rules.because(learner().department("Finance").build(), NIGHT)).isEqualTo("the default");
    }

    private static RuleBuilder rule() {
        return new RuleBuilder();
    }

    private static ProfileBuilder learner() {
        return new ProfileBuilder();
    }

    private static final class RuleBuilder {
        private Set<String> departments = Set.of();
        private Set<String> locations = Set.of();
        private Set<String> groups = Set.of();
        private Set<LearnerStatus> statuses = Set.of();
        private LocalDate inactiveSince;
        private Integer inactiveDays;

        RuleBuilder department(String... values) {
            departments = Set.of(values);
            return this;
        }

        RuleBuilder location(String... values) {
            locations = Set.of(values);
            return this;
        }

        RuleBuilder group(String... values) {
            groups = Set.of(values);
            return this;
        }

        RuleBuilder status(LearnerStatus... values) {
            statuses = Set.of(values);
            return this;
        }

        RuleBuilder inactiveSince(LocalDate date) {
            inactiveSince = date;
            return this;
        }

        RuleBuilder inactiveDays(int days) {
            inactiveDays = days;
            return this;
        }

        Rule gives(Target target) {
            return new Rule("test", departments, locations, groups, statuses, inactiveSince, inactiveDays, target);
        }
    }

    private static final class ProfileBuilder {
        private LearnerStatus status = LearnerStatus.ACTIVE;
        private String department;
        private String location;
        private Set<String> groups = Set.of();
        private LocalDateTime lastActive = LocalDateTime.of(2026, 11, 20, 9, 0);

        ProfileBuilder status(LearnerStatus value) {
            status = value;
            return this;
        }

        ProfileBuilder department(String value) {
            department = value;
            return this;
        }

        ProfileBuilder location(String value) {
            location = value;
            return this;
        }

        ProfileBuilder groups(String... values) {
            groups = Set.of(values);
            return this;
        }

        ProfileBuilder lastActive(LocalDateTime value) {
            lastActive = value;
            return this;
        }

        LearnerProfile build() {
            return new LearnerProfile(status, department, location, groups, lastActive);
        }
    }
}
