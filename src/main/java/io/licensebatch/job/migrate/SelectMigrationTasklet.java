package io.licensebatch.job.migrate;

import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The selection of a migration: everyone currently on the source type, in one org or every org, numbered
 * org by org (so the apply step partitions by org). With seat transfer, every org of the selection gets a
 * target pool (empty) where it has none: the seats arrive with the learners. One transaction.
 */
class SelectMigrationTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger("license-batch");

    private final ChangeRequestGateway requests;
    private final SelectionGateway selection;
    private final SeatPoolGateway pools;
    private final SelectionCompletion completion;

    SelectMigrationTasklet(ChangeRequestGateway requests, SelectionGateway selection, SeatPoolGateway pools,
            SelectionCompletion completion) {
        this.requests = requests;
        this.selection = selection;
        this.pools = pools;
        this.completion = completion;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = contribution.getStepExecution().getJobExecution().getJobInstanceId();
        if (completion.isComplete(jobInstanceId)) {
            return RepeatStatus.FINISHED;
        }
        long requestId = contribution.getStepExecution().getJobParameters().getLong(JobParameterNames.REQUEST);
        ChangeRequest request = requests.find(requestId)
                .orElseThrow(() -> new IllegalStateException("no change request " + requestId));
        int selected = selection.insertMigration(jobInstanceId, request.sourceType(), request.targetType(),
                request.orgId(), "migrate " + request.sourceType() + " to " + request.targetType());
        if (request.flag(MigrateJobConfiguration.TRANSFER_SEATS) && !request.dryRun()) {
            int created = pools.createEmptyForSelection(jobInstanceId, request.targetType());
            if (created > 0) {
                log.info("select: created an empty {} pool in {} org(s); seats move in with the learners",
                        request.targetType(), created);
            }
        }
        contribution.incrementWriteCount(selected);
        completion.complete(jobInstanceId, selection.orgIds(jobInstanceId));
        if (request.flag(MigrateJobConfiguration.TRANSFER_SEATS) && request.dryRun()) {
            pools.simulateEmptyForSelection(jobInstanceId, request.targetType());
        }
        return RepeatStatus.FINISHED;
    }
}
