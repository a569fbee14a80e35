package io.licensebatch.job.common;

import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Where every license-batch job is built: a new job gets the listeners every job needs from here, so it cannot
 * forget one: who runs it and its claim ({@link ExecutionOwnership}), SIGTERM at a chunk boundary
 * ({@link GracefulShutdown}), and planner statistics for the tables it reads ({@link PlannerStatistics}).
 */
@Component
public class LicenseJobs {

    private final JobRepository jobRepository;
    private final ExecutionOwnership ownership;
    private final GracefulShutdown shutdown;
    private final PlannerStatistics statistics;

    public LicenseJobs(JobRepository jobRepository, ExecutionOwnership ownership, GracefulShutdown shutdown,
            PlannerStatistics statistics) {
        this.jobRepository = jobRepository;
        this.ownership = ownership;
        this.shutdown = shutdown;
        this.statistics = statistics;
    }

    public JobBuilder job(String name) {
        return new JobBuilder(name, jobRepository)
                .listener(ownership)
                .listener(shutdown)
                .listener(statistics);
    }
}
