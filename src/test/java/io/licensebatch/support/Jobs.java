package io.licensebatch.support;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestFactory;
import io.licensebatch.selection.RequestKind;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/** Runs license-batch's jobs in a test's application context, as the command line does. */
@Component
public class Jobs {

    private final ChangeRequestFactory requests;
    private final JobRunner runner;
    private final Job licenseChangeJob;
    private final JdbcTemplate jdbc;

    private final Job retryFailedJob;
    private final Job undoJob;

    public Jobs(ChangeRequestFactory requests, JobRunner runner, @Qualifier("licenseChangeJob") Job licenseChangeJob,
            @Qualifier("retryFailedJob") Job retryFailedJob, @Qualifier("undoJob") Job undoJob, JdbcTemplate jdbc) {
        this.requests = requests;
        this.runner = runner;
        this.licenseChangeJob = licenseChangeJob;
        this.retryFailedJob = retryFailedJob;
        this.undoJob = undoJob;
        this.jdbc = jdbc;
    }

    public JobExecution reassign(TestAccounts.Account account, String target, Select select) {
        return change(account, Action.REASSIGN, target, select, false);
    }

    public JobExecution revoke(TestAccounts.Account account, Select select) {
        return change(account, Action.REVOKE, null, select, false);
    }

    public JobExecution change(TestAccounts.Account account, Action action, String target, Select select,
            boolean dryRun) {
        ChangeRequest request = requests.learnersOrFilters(String.valueOf(account.id), action, target, select.spec(),
                dryRun, null, "test");
        return runner.run(licenseChangeJob, new JobParametersBuilder()
                .addLong(JobParameterNames.REQUEST, request.id())
                .addJobParameter(JobParameterNames.DRY_RUN, dryRun, Boolean.class)
                .toJobParameters());
    }

    /** {@code retry-failed}: a new run over the source run's FAILED and retryable learners. */
    public JobExecution retryFailed(JobExecution source) {
        return followUp(RequestKind.RETRY_FAILED, retryFailedJob, source);
    }

    /** {@code undo}: a new run that puts back what the source run changed. */
    public JobExecution undo(JobExecution source) {
        return followUp(RequestKind.UNDO, undoJob, source);
    }

    private JobExecution followUp(RequestKind kind, Job job, JobExecution source) {
        ChangeRequest request = requests.followUp(kind, source.getId(), null, 0, false, "test");
        return runner.run(job, new JobParametersBuilder().addLong(JobParameterNames.REQUEST, request.id())
                .toJobParameters());
    }

    public JobExecution restart(JobExecution execution) {
        return runner.restart(execution.getId());
    }

    /** Each learner's outcome in the execution's job instance, as "STATUS" or "STATUS REASON". */
    public Map<Long, String> outcomesByLearner(JobExecution execution) {
        Map<Long, String> outcomes = new HashMap<>();
        jdbc.query("select learner_id, status, reason from license_change_outcome where job_instance_id = ?", rs -> {
            String reason = rs.getString("reason");
            outcomes.put(rs.getLong("learner_id"), rs.getString("status") + (reason == null ? "" : " " + reason));
        }, execution.getJobInstanceId());
        return outcomes;
    }

    /** The learner's current license type, or null. */
    public String currentType(long learnerId) {
        return jdbc.queryForList("select license_type from license_assignment where learner_id = ? and ended_at is null",
                String.class, learnerId).stream().findFirst().orElse(null);
    }
}
