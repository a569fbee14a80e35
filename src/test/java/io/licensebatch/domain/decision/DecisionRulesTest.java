package io.licensebatch.domain.decision;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.license.PoolKey;
import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.domain.outcome.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionRulesTest {

    private static final long ORG = 1;
    private static final long OTHER_ORG = 2;
    private static final long LEARNER = 100;
    private static final long CURRENT_ASSIGNMENT = 500;

    /** PRO and HUB have pools in ORG; CLASSIC is retired; ESSENTIALS exists without a pool in ORG. */
    private static final LicenseCatalog CATALOG = new LicenseCatalog(
            Map.of("PRO", false, "HUB", false, "ESSENTIALS", false, "CLASSIC", true),
            Set.of(new PoolKey(ORG, "PRO"), new PoolKey(ORG, "HUB"), new PoolKey(ORG, "CLASSIC"),
                    new PoolKey(OTHER_ORG, "ESSENTIALS")));

    @Test
    void reassignsAnActiveLearnerToAnotherType() {
        Decision decision = decide(reassign("HUB"), onLicense("PRO"));

        assertThat(decision).isEqualTo(Decision.reassign());
        assertThat(decision.changesSomething()).isTrue();
    }

    @Test
    void reassignsALearnerWithoutALicense() {
        assertThat(decide(reassignExpecting("HUB", null), noLicense(LearnerStatus.ACTIVE))).isEqualTo(Decision.reassign());
    }

    @Test
    void reassignsAPendingLearner() {
        assertThat(decide(reassign("HUB"), learner(LearnerStatus.PENDING, "PRO"))).isEqualTo(Decision.reassign());
    }

    @Test
    void rejectsReassigningADeactivatedLearner() {
        assertThat(decide(reassign("HUB"), learner(LearnerStatus.DEACTIVATED, "PRO")))
                .isEqualTo(Decision.rejected(Reason.LEARNER_DEACTIVATED));
    }

    @Test
    void leavesALearnerAlreadyOnTheTargetUnchanged() {
        Decision decision = decide(reassign("PRO"), onLicense("PRO"));

        assertThat(decision).isEqualTo(Decision.unchanged(Reason.ALREADY_ON_TARGET));
        assertThat(decision.changesSomething()).isFalse();
    }

    @Test
    void rejectsAnUnknownTargetType() {
        assertThat(decide(reassign("NO_SUCH_TYPE"), onLicense("PRO")))
                .isEqualTo(Decision.rejected(Reason.UNKNOWN_LICENSE_TYPE));
    }

    @Test
    void rejectsARetiredTargetTypeEvenForALearnerOnIt() {
        assertThat(decide(reassign("CLASSIC"), onLicense("CLASSIC")))
                .isEqualTo(Decision.rejected(Reason.LICENSE_TYPE_RETIRED));
    }

    @Test
    void rejectsATargetTheOrgHasNoPoolOf() {
        assertThat(decide(reassign("ESSENTIALS"), onLicense("PRO"))).isEqualTo(Decision.rejected(Reason.NO_POOL));
    }

    @Test
    void revokesALicensedLearner() {
        assertThat(decide(revoke(), onLicense("PRO"))).isEqualTo(Decision.revoke());
    }

    @Test
    void revokesADeactivatedLearnerToo() {
        assertThat(decide(revoke(), learner(LearnerStatus.DEACTIVATED, "PRO"))).isEqualTo(Decision.revoke());
    }

    @Test
    void revokesAPendingLearner() {
        assertThat(decide(revoke(), learner(LearnerStatus.PENDING, "HUB"))).isEqualTo(Decision.revoke());
    }

    @Test
    void leavesALearnerWithoutALicenseUnchangedOnRevoke() {
        assertThat(decide(revokeExpecting(null), noLicense(LearnerStatus.ACTIVE)))
                .isEqualTo(Decision.unchanged(Reason.NO_LICENSE_TO_REVOKE));
    }

    @Test
    void rejectsALearnerThatDoesNotExist() {
        assertThat(decide(reassign("HUB"), LearnerState.NOT_FOUND)).isEqualTo(Decision.rejected(Reason.LEARNER_NOT_FOUND));
        assertThat(decide(revoke(), LearnerState.NOT_FOUND)).isEqualTo(Decision.rejected(Reason.LEARNER_NOT_FOUND));
    }

    @Test
    void rejectsALearnerOfAnotherOrg() {
        LearnerState elsewhere = LearnerState.of(OTHER_ORG, LearnerStatus.ACTIVE, CURRENT_ASSIGNMENT, "PRO");

        assertThat(decide(reassign("HUB"), elsewhere)).isEqualTo(Decision.rejected(Reason.LEARNER_IN_OTHER_ORG));
        assertThat(decide(revoke(), elsewhere)).isEqualTo(Decision.rejected(Reason.LEARNER_IN_OTHER_ORG));
    }

    @Test
    void rejectsALearnerWhoseLicenseWasReplacedSinceTheSelection() {
        LearnerState replaced = LearnerState.of(ORG, LearnerStatus.ACTIVE, CURRENT_ASSIGNMENT + 1, "HUB");

        assertThat(decide(reassign("HUB"), replaced)).isEqualTo(Decision.rejected(Reason.CHANGED_CONCURRENTLY));
        assertThat(decide(revoke(), replaced)).isEqualTo(Decision.rejected(Reason.CHANGED_CONCURRENTLY));
    }

    @Test
    void rejectsALearnerWhoseLicenseWasRevokedSinceTheSelection() {
        assertThat(decide(reassign("HUB"), noLicense(LearnerStatus.ACTIVE)))
                .isEqualTo(Decision.rejected(Reason.CHANGED_CONCURRENTLY));
    }

    @Test
    void rejectsALearnerWhoGotALicenseSinceTheSelection() {
        assertThat(decide(reassignExpecting("HUB", null), onLicense("PRO")))
                .isEqualTo(Decision.rejected(Reason.CHANGED_CONCURRENTLY));
        assertThat(decide(revokeExpecting(null), onLicense("PRO")))
                .isEqualTo(Decision.rejected(Reason.CHANGED_CONCURRENTLY));
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"MALFORMED_RECORD", "DUPLICATE_RECORD", "CONFLICTING_RECORDS",
            "UNKNOWN_LICENSE_TYPE", "LEARNER_NOT_FOUND", "CHANGED_SINCE"})
    void keepsARejectionDecidedWhileTheSelectionWasTaken(Reason rejection) {
        SelectionItem item = new SelectionItem(1, ORG, LEARNER, 7L, "ana@acme.example", Action.REASSIGN, "HUB",
                CURRENT_ASSIGNMENT, "PRO", rejection, "detail", null, null);

        Decision decision = decide(item, onLicense("PRO"));

        assertThat(decision.status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(decision.reason()).isEqualTo(rejection);
    }

    @Test
    void aSelectionRejectionWinsOverEveryOtherRule() {
        SelectionItem malformed = new SelectionItem(1, ORG, null, 3L, "", null, null, null, null,
                Reason.MALFORMED_RECORD, "2 fields, expected 3", null, null);

        assertThat(decide(malformed, LearnerState.NOT_FOUND)).isEqualTo(Decision.rejected(Reason.MALFORMED_RECORD));
    }

    private static Decision decide(SelectionItem item, LearnerState learner) {
        return DecisionRules.decide(new Candidate(item, learner), CATALOG);
    }

    private static SelectionItem reassign(String target) {
        return reassignExpecting(target, CURRENT_ASSIGNMENT);
    }

    private static SelectionItem reassignExpecting(String target, Long expectedAssignment) {
        return new SelectionItem(1, ORG, LEARNER, null, null, Action.REASSIGN, target, expectedAssignment,
                expectedAssignment == null ? null : "PRO", null, null, null, null);
    }

    private static SelectionItem revoke() {
        return revokeExpecting(CURRENT_ASSIGNMENT);
    }

    private static SelectionItem revokeExpecting(Long expectedAssignment) {
        return new SelectionItem(1, ORG, LEARNER, null, null, Action.REVOKE, null, expectedAssignment,
                expectedAssignment == null ? null : "PRO", null, null, null, null);
    }

    private static LearnerState onLicense(String type) {
        return learner(LearnerStatus.ACTIVE, type);
    }

    private static LearnerState learner(LearnerStatus status, String type) {
        return LearnerState.of(ORG, status, CURRENT_ASSIGNMENT, type);
    }

    private static LearnerState noLicense(LearnerStatus status) {
        return LearnerState.of(ORG, status, null, null);
    }
}
