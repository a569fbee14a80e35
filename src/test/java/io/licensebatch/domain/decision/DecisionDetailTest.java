package io.licensebatch.domain.decision;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.outcome.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rejection the rules make gets words in the report: what was asked for, and what stood in the way. */
class DecisionDetailTest {

    private static final long ORG = 1;
    private static final LicenseCatalog CATALOG = new LicenseCatalog(
            Map.of("LEARNING_PRO", false, "LEARNING_HUB", false, "LEARNING_LAB", false, "LEARNING_CLASSIC", true),
            Set.of(new PoolKey(ORG, "LEARNING_PRO"), new PoolKey(ORG, "LEARNING_HUB")));

    @Test
    void anUnknownTypeIsQuotedAsWrittenWithTheNearestKnownOne() {
        assertThat(detail(reassign("LEARNING_HUBB"), active("LEARNING_PRO")))
                .isEqualTo("no license type 'LEARNING_HUBB'; did you mean LEARNING_HUB?");
        assertThat(detail(reassign("learning_pr0"), active("LEARNING_HUB")))
                .isEqualTo("no license type 'learning_pr0'; did you mean LEARNING_PRO?");
        assertThat(detail(reassign("GOLD"), active("LEARNING_HUB"))).isEqualTo("no license type 'GOLD'");
    }

    @Test
    void aMissingPoolAndARetiredTypeAreNamed() {
        assertThat(detail(reassign("LEARNING_LAB"), active("LEARNING_PRO"))).startsWith("this organization has no"
                + " LEARNING_LAB seat pool").contains("pools set");
        assertThat(detail(reassign("LEARNING_CLASSIC"), active("LEARNING_PRO"))).isEqualTo("LEARNING_CLASSIC is"
                + " retired: no one is moved onto it");
    }

    @Test
    void aLearnerOfAnotherOrgGetsNoWordsAboutThatOrg() {
        LearnerState elsewhere = LearnerState.of(ORG + 1, LearnerStatus.ACTIVE, 9L, "LEARNING_LAB");
        String detail = detail(reassign("LEARNING_HUB"), elsewhere);
        assertThat(detail).contains("another organization").doesNotContain("LEARNING_LAB").doesNotContain("2");
    }

    @Test
    void aRecordsOwnWordsWin() {
        SelectionItem malformed = new SelectionItem(1, ORG, null, 3L, null, null, null, null, null,
                Reason.MALFORMED_RECORD, "record 3 (line 4): 2 fields, the header has 3", null, null);
        assertThat(detail(malformed, LearnerState.NOT_FOUND)).isEqualTo("record 3 (line 4): 2 fields, the header has 3");
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"LEARNER_NOT_FOUND", "LEARNER_IN_OTHER_ORG", "LEARNER_DEACTIVATED",
            "UNKNOWN_LICENSE_TYPE", "LICENSE_TYPE_RETIRED", "NO_POOL", "CHANGED_CONCURRENTLY"})
    void everyRejectionTheRulesGiveHasWords(Reason reason) {
        Candidate candidate = new Candidate(reassign("LEARNING_HUB"), active("LEARNING_PRO"));
        assertThat(DecisionDetail.of(Decision.rejected(reason), candidate, CATALOG)).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"ALREADY_ON_TARGET", "NO_LICENSE_TO_REVOKE"})
    void aLearnerLeftUnchangedGetsNoWordsItsReasonSaysItAll(Reason reason) {
        Candidate candidate = new Candidate(reassign("LEARNING_HUB"), active("LEARNING_HUB"));
        assertThat(DecisionDetail.of(Decision.unchanged(reason), candidate, CATALOG)).isNull();
    }

    private static String detail(SelectionItem item, LearnerState learner) {
        Candidate candidate = new Candidate(item, learner);
        return DecisionDetail.of(DecisionRules.decide(candidate, CATALOG), candidate, CATALOG);
    }

    private static SelectionItem reassign(String target) {
        return new SelectionItem(1, ORG, 100L, 1L, "ana@example.com", Action.REASSIGN, target, 500L, "LEARNING_PRO",
                null, null, null, null);
    }

    private static LearnerState active(String type) {
        return LearnerState.of(ORG, LearnerStatus.ACTIVE, 500L, type);
    }
}
