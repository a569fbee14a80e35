package io.licensebatch.domain.decision;

import io.licensebatch.domain.outcome.OutcomeStatus;
import io.licensebatch.domain.outcome.Reason;

/**
 * The processor's verdict on one candidate. {@code REASSIGNED} and {@code REVOKED} are intentions here:
 * the writer still allocates seats and checks that nothing changed underneath, and may turn them into
 * {@code REJECTED NO_SEATS} or {@code REJECTED CHANGED_CONCURRENTLY}.
 */
public record Decision(OutcomeStatus status, Reason reason) {

    public static Decision reassign() {
        return new Decision(OutcomeStatus.REASSIGNED, null);
    }

    public static Decision revoke() {
        return new Decision(OutcomeStatus.REVOKED, null);
    }

    public static Decision unchanged(Reason reason) {
        return new Decision(OutcomeStatus.UNCHANGED, reason);
    }

    public static Decision rejected(Reason reason) {
        return new Decision(OutcomeStatus.REJECTED, reason);
    }

    public boolean changesSomething() {
        return status == OutcomeStatus.REASSIGNED || status == OutcomeStatus.REVOKED;
    }
}
