package io.licensebatch.job.migrate;

import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.request.RequestKind;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.List;
import java.util.Set;

/**
 * {@code migrate}: everyone off one license type onto another, in one org or all of them. The apply step is
 * partitioned by organization (orgs run in parallel; a restart re-runs only the partitions that failed);
 * with --transfer-seats each chunk moves the seats it frees from the source pool to the target pool, in its
 * own transaction; with --retire-source the source type is retired once every org has finished.
 */
@Configuration
class MigrateJobConfiguration {

    @Bean
    Job migrateJob(LicenseJobs jobs, Step selectMigrationStep, Step retireSourceStep) {
        return jobs.define("migrate", Set.of(RequestKind.MIGRATE), List.of(selectMigrationStep),
                List.of(retireSourceStep));
    }

    @Bean
    Step selectMigrationStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, SelectionSnapshot selection, SeatPoolGateway pools,
            SelectionCompletion completion) {
        return new StepBuilder("selectMigration", jobRepository)
                .tasklet(new SelectMigrationTasklet(requests, selection, pools, completion), transactionManager)
                .build();
    }

    @Bean
    Step retireSourceStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ChangeRequestGateway requests, LicenseTypeGateway licenseTypes) {
        return new StepBuilder("retireSource", jobRepository)
                .tasklet(new RetireSourceTasklet(requests, licenseTypes), transactionManager)
                .build();
    }
}
