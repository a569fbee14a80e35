package io.licensebatch.request;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.selection.LearnerFilter;
import io.licensebatch.selection.csv.FileBlocks;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * What an operator asked for, resolved (ids, canonical type codes) and stored in {@code change_request}: the job
 * parameters name it, so a job instance is exactly one request, a restart works on what the operator confirmed,
 * and every flag is stored once, here.
 *
 * @param orgId       the organization; null when the request spans every org (a migration of all orgs, a night
 *                    of every org of a rules file, a follow-up of such a run)
 * @param action      REASSIGN or REVOKE; null where each item says (a night, an undo, a retry)
 * @param targetType  the type to move to (a reassign; an upload's default for records without one)
 * @param description the request in words, for status and summaries
 */
public record ChangeRequest(long id, RequestKind kind, Long orgId, Action action, String targetType,
        Selection selection, Options options, String description, String requestedBy, LocalDateTime requestedAt) {

    /** Where the request's learners come from. */
    public sealed interface Selection {
    }

    /** Learners matched by filters, minus the un-checked ones. */
    public record Filters(LearnerFilter filter) implements Selection {
    }

    /** Exactly the learners the operator named, by id, email or external id, in the order given. */
    public record Named(List<String> learners) implements Selection {
    }

    /**
     * The records of an uploaded CSV file, as it was checked when the request was made.
     *
     * @param ignoredColumns header columns the operator said to ignore (lower-case)
     */
    public record Upload(String file, FileBlocks blocks, long records, List<String> ignoredColumns)
            implements Selection {
    }

    /** What another run left (retry-failed) or changed (undo). */
    public record FollowUp(long sourceExecutionId) implements Selection {
    }

    /** Everyone on one type, in one org or all: their license is swapped, the deactivated ones' too. */
    public record Migration(String sourceType, boolean retireSource) implements Selection {
    }

    /** One night of a rules file: the learners whose license drifted from their org's rules. */
    public record Night(String rulesFile, String rulesSha256, LocalDate date) implements Selection {
    }

    /** Exactly the selection, targets and decisions a reviewed dry run (a plan) recorded. */
    public record Plan(long planExecutionId) implements Selection {
    }

    /**
     * How the request is carried out.
     *
     * @param dryRun           record what would happen, change nothing: the run is a plan
     * @param transferSeats    seats move with their learners (a migration)
     * @param note             why, kept with every outcome
     * @param failOnRejections a completed run with any REJECTED learner counts as failed for its exit code
     */
    public record Options(boolean dryRun, boolean transferSeats, String note, boolean failOnRejections) {

        public static Options of(boolean dryRun) {
            return new Options(dryRun, false, null, false);
        }
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    /** The selection, as the kind of selection a job expects of it. */
    public <T extends Selection> T selection(Class<T> kind) {
        if (!kind.isInstance(selection)) {
            throw new IllegalStateException("request " + id + " selects by " + selection.getClass().getSimpleName()
                    + ", not by " + kind.getSimpleName());
        }
        return kind.cast(selection);
    }

    /** The same request as stored, with the id and time it got. */
    ChangeRequest stored(long newId, LocalDateTime at) {
        return new ChangeRequest(newId, kind, orgId, action, targetType, selection, options, description,
                requestedBy, at);
    }
}
