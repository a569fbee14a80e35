package io.licensebatch.job.common;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The job parameters license-batch's jobs share. */
public final class JobParameterNames {

    /** The {@code change_request} the job carries out (identifying: one request, one job instance). */
    public static final String REQUEST = "request";
    /** Record what would happen, change nothing. */
    public static final String DRY_RUN = "dryRun";
    /** Migrations: move the freed seats from the source pool to the target pool with the learners. */
    public static final String TRANSFER_SEATS = "transferSeats";
    /** Migrations: learners holding the source type move even when deactivated (a like-for-like swap). */
    public static final String MOVE_DEACTIVATED = "moveDeactivated";
    /** Reorganise: the rules file, its fingerprint, the night and the org (0: every org of the file). */
    public static final String RULES = "rules";
    public static final String RULES_SHA256 = "rulesSha256";
    public static final String DATE = "date";
    public static final String ORG = "org";
    /** Reorganise: lets a night through that the mass-change guard stopped (not identifying). */
    public static final String CONFIRM_LARGE_CHANGE = "confirmLargeChange";

    private JobParameterNames() {
    }

    /** A boolean parameter's value; false when absent. */
    public static boolean flag(JobParameters parameters, String name) {
        JobParameter<?> parameter = parameters.getParameter(name);
        return parameter != null && Boolean.TRUE.equals(parameter.value());
    }
}
