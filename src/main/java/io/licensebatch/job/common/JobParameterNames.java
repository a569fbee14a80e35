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

    private JobParameterNames() {
    }

    /** A boolean parameter's value; false when absent. */
    public static boolean flag(JobParameters parameters, String name) {
        JobParameter<?> parameter = parameters.getParameter(name);
        return parameter != null && Boolean.TRUE.equals(parameter.value());
    }
}
