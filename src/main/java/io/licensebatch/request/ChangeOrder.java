package io.licensebatch.request;

import io.licensebatch.domain.assignment.Action;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * What an operator asks for, as typed: names and codes as given, not yet checked against the database. The
 * {@link RequestResolver} turns an order into a {@link ChangeRequest} (or refuses it, exit 2, saying why), and
 * the launch service runs that: the command line, a job spec and any other way in build orders, never job
 * parameters.
 */
public sealed interface ChangeOrder {

    How how();

    /** Reassign (a target) or revoke the learners named, filtered or uploaded, in one org. */
    record Change(String org, Action action, String target, SelectionSpec selection, How how) implements ChangeOrder {
    }

    /** Everyone off one type, in one org or in all of them. */
    record Migrate(String from, String to, String org, boolean allOrgs, boolean transferSeats, boolean retireSource,
            How how) implements ChangeOrder {
    }

    /** One night of a rules file: every learner whose license drifted from their org's rules. */
    record Reorganise(Path rules, LocalDate date, String org, How how) implements ChangeOrder {
    }

    /** A new run over what another run left (retry-failed) or changed (undo). */
    record FollowUp(RequestKind kind, long sourceExecutionId, How how) implements ChangeOrder {
    }

    /** A reviewed dry run, carried out exactly. */
    record ApplyPlan(long planExecutionId, How how) implements ChangeOrder {
    }

    /**
     * How the order is carried out, and by whom.
     *
     * @param confirmLargeChange the operator lets a change through the mass-change guard
     * @param ignoredColumns     upload columns the operator said to ignore (names, or {@code *} for every unknown
     *                           one)
     * @param uploadAgain        the operator means to upload a file whose content an earlier real run of the org
     *                           uploaded already
     */
    record How(boolean dryRun, String note, boolean failOnRejections, boolean confirmLargeChange,
            List<String> ignoredColumns, boolean uploadAgain, String requestedBy) {

        public static How of(boolean dryRun, String requestedBy) {
            return new How(dryRun, null, false, false, List.of(), false, requestedBy);
        }
    }
}
