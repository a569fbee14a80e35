package io.licensebatch.job.common;

/**
 * The job parameters of license-batch's jobs: one, the request. Everything a run needs to know about what was
 * asked (its selection, target, dry run, seat transfer, note ...) is stored once, with the request; the job
 * instance is exactly one request, so a restart works on what the operator confirmed.
 */
public final class JobParameterNames {

    /** The {@code change_request} the job carries out (identifying: one request, one job instance). */
    public static final String REQUEST = "request";

    private JobParameterNames() {
    }
}
