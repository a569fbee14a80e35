package io.licensebatch.runs;

import io.licensebatch.domain.license.SeatPoolGateway.PoolSnapshot;
import io.licensebatch.domain.outcome.OutcomeCount;
import io.licensebatch.job.common.FailureCause;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run in full, for {@code status EXECUTION}, its JSON and {@code --summary-json}: the run, its outcomes per
 * status and reason, its seat pools before and after, why it failed or was blocked, who runs it, and the next
 * steps that can work.
 *
 * @param orgNames      the names of the seat pools' orgs
 * @param lastExecution the instance's latest execution: the one a restart or follow-up works from
 */
public record RunDetail(Run run, List<OutcomeCount> outcomes, List<PoolSnapshot> seats, Map<Long, String> orgNames,
        Optional<FailureCause> cause, Optional<String> blocked, Optional<String> owner, long lastExecution,
        List<NextStep> next) {

    /** A command that can work now, and why one would run it. */
    public record NextStep(String command, String why) {

        public static NextStep of(String command, String why) {
            return new NextStep(command, why);
        }
    }
}
