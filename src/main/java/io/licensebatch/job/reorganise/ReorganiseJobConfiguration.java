package io.licensebatch.job.reorganise;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.job.common.LicenseJobs;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The nightly reorganisation: select the learners whose license drifted from their org's rules, stop if
 * that is a mass change nobody confirmed, then the apply and summary steps every job shares. One job instance
 * per rules file (as it is) and night: starting the same night again resumes it or does nothing.
 */
@Configuration
class ReorganiseJobConfiguration {

    static final String JOB_NAME = "reorganise";

    @Bean
    Job reorganiseJob(LicenseJobs jobs, Step selectDriftStep, Step massChangeGuardStep, Step applyStep,
            Step summaryStep) {
        return jobs.job(JOB_NAME)
                .start(selectDriftStep)
                .next(massChangeGuardStep)
                .on(MassChangeGuardTasklet.BLOCKED).fail()
                .from(massChangeGuardStep).on("*").to(applyStep)
                .next(summaryStep)
                .end()
                .build();
    }

    @Bean
    Step selectDriftStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            LearnerGateway learners, SelectionGateway selection, SelectionCompletion completion,
            LicenseTypeGateway licenseTypes, OrganizationGateway organizations) {
        return new StepBuilder("selectDrift", jobRepository)
                .tasklet(new SelectDriftTasklet(learners, selection, completion, licenseTypes, organizations),
                        transactionManager)
                .build();
    }

    @Bean
    Step massChangeGuardStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            SelectionGateway selection, OutcomeGateway outcomes, LearnerGateway learners,
            OrganizationGateway organizations, LicenseBatchProperties properties) {
        return new StepBuilder("massChangeGuard", jobRepository)
                .tasklet(new MassChangeGuardTasklet(selection, outcomes, learners, organizations,
                        properties.guardMaxShare(), properties.guardMaxRevokes()), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }
}
