package io.licensebatch.job.migrate;

import io.licensebatch.console.Numbers;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * {@code --retire-source}: once every org's partition has finished (this step runs only after the apply step
 * completed), the source type is marked retired, so nobody is given it again. Learners a migration could not
 * move (see the outcomes) keep it until they are moved.
 */
class RetireSourceTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RetireSourceTasklet.class);

    private final ChangeRequestGateway requests;
    private final LicenseTypeGateway licenseTypes;

    RetireSourceTasklet(ChangeRequestGateway requests, LicenseTypeGateway licenseTypes) {
        this.requests = requests;
        this.licenseTypes = licenseTypes;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ChangeRequest request = SelectionTasklet.request(requests, contribution.getStepExecution().getJobParameters());
        ChangeRequest.Migration migration = request.selection(ChangeRequest.Migration.class);
        if (!migration.retireSource()) {
            return RepeatStatus.FINISHED;
        }
        String source = migration.sourceType();
        long remaining = licenseTypes.currentHolders(source);
        if (request.dryRun()) {
            log.info("retire: would retire {} ({} hold it now)", source, Numbers.learners(remaining));
            return RepeatStatus.FINISHED;
        }
        licenseTypes.retire(source);
        log.info("retire: {} is retired{}", source, remaining == 0 ? "; nobody holds it any more"
                : "; " + Numbers.count(remaining) + " learner(s) still hold it (see the outcomes for why)");
        return RepeatStatus.FINISHED;
    }
}
