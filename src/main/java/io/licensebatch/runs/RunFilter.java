package io.licensebatch.runs;

import io.licensebatch.launch.Executions.State;

import java.time.LocalDate;

/**
 * Which executions {@code status} lists: of one org (with the runs across orgs whose selection touched it), since
 * a date, in one state; the most recent {@code limit} of them.
 */
public record RunFilter(Long orgId, LocalDate since, State state, int limit) {

    public static RunFilter recent(int limit) {
        return new RunFilter(null, null, null, limit);
    }
}
