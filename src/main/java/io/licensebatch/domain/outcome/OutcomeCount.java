package io.licensebatch.domain.outcome;

/** How many items of a job instance ended with one status and reason. */
public record OutcomeCount(OutcomeStatus status, Reason reason, long count) {

    public String label() {
        return reason == null ? status.name() : status.name() + " " + reason.name();
    }
}
