package io.licensebatch.runs;

import io.licensebatch.launch.Executions.State;
import io.licensebatch.request.RequestKind;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * One execution as an operator reads it in {@code status}, in its JSON and in the metrics: what it was asked to
 * do (its request), where (the org, or all orgs), by whom, when, in what state, and how far it got, this
 * execution and its job instance (the run, restarts included) apart.
 *
 * @param selected       the learners or records of the instance's selection; -1 while it is being made
 * @param done           learners with an outcome, over every execution of the instance
 * @param doneByThisOne  learners this execution gave an outcome (a restart: only what it did itself)
 */
public record Run(long execution, long instance, String job, State state, String batchStatus, Request request,
        LocalDateTime created, LocalDateTime started, LocalDateTime ended, long selected, long done,
        long doneByThisOne) {

    /** The request a run carries out; {@code null} fields where the kind has none. */
    public record Request(long id, RequestKind kind, Long orgId, String org, String action, String target,
            String sourceType, Long sourceExecution, LocalDate night, boolean dryRun, String note, String requestedBy,
            String description) {

        /** The org in words: its name, or "all orgs" for a platform-wide run. */
        public String scope() {
            return orgId == null ? "all orgs" : org;
        }

        /** What the request does, in a few words: "reassign to LEARNING_HUB", "undo of 12", "migrate A to B". */
        public String what() {
            String to = target == null ? "" : " to " + target;
            return switch (kind) {
                case FILTER, LEARNERS -> action.toLowerCase(java.util.Locale.ROOT) + to;
                case CSV -> (action == null ? "upload per record" : action.toLowerCase(java.util.Locale.ROOT)
                        + " upload") + to;
                case MIGRATE -> "migrate " + sourceType + to;
                case REORGANISE -> "reorganise " + night;
                case RETRY_FAILED -> "retry-failed of " + sourceExecution;
                case UNDO -> "undo of " + sourceExecution;
                case PLAN -> "apply of plan " + sourceExecution;
            };
        }
    }

    public boolean dryRun() {
        return request != null && request.dryRun();
    }
}
