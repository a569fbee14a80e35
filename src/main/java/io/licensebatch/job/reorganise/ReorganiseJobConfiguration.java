package io.licensebatch.job.reorganise;

import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.request.RequestKind;
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
 * The nightly reorganisation: select the learners whose license drifted from their org's rules, then the
 * guard (a mass change nobody confirmed stops there), apply and summary every job has. One job instance
 * per rules file (as it is) and night: starting the same night again resumes it or does nothing.
 */
@Configuration
class ReorganiseJobConfiguration {

    static final String JOB_NAME = "reorganise";

    @Bean
    Job reorganiseJob(LicenseJobs jobs, Step selectDriftStep) {
        return jobs.define(JOB_NAME, Set.of(RequestKind.REORGANISE), List.of(selectDriftStep), List.of());
    }

    @Bean
    Step selectDriftStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            LearnerGateway learners, SelectionSnapshot selection, SelectionCompletion completion,
            LicenseTypeGateway licenseTypes, OrganizationGateway organizations, ChangeRequestGateway requests) {
        return new StepBuilder("selectDrift", jobRepository)
                .tasklet(new SelectDriftTasklet(learners, selection, completion, licenseTypes, organizations,
                        requests), transactionManager)
                .build();
    }

}
