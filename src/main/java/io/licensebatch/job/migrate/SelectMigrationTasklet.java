package io.licensebatch.job.migrate;

import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The selection of a migration: everyone currently on the source type, in one org or every org, numbered
 * org by org (so the apply step partitions by org). With seat transfer, every org of the selection gets a
 * target pool (empty) where it has none: the seats arrive with the learners. One transaction.
 */
class SelectMigrationTasklet extends SelectionTasklet {

    private static final Logger log = LoggerFactory.getLogger(SelectMigrationTasklet.class);

    private final ChangeRequestGateway requests;
    private final SelectionSnapshot selection;
    private final SeatPoolGateway pools;

    SelectMigrationTasklet(ChangeRequestGateway requests, SelectionSnapshot selection, SeatPoolGateway pools,
            SelectionCompletion completion) {
        super(completion);
        this.requests = requests;
        this.selection = selection;
        this.pools = pools;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        ChangeRequest request = request(requests, parameters);
        String source = request.selection(ChangeRequest.Migration.class).sourceType();
        int selected = selection.insertMigration(jobInstanceId, source, request.targetType(), request.orgId(),
                "migrate " + source + " to " + request.targetType());
        if (request.options().transferSeats()) {
            if (request.dryRun()) {
                pools.simulateEmptyForSelection(jobInstanceId, request.targetType());
            } else {
                int created = pools.createEmptyForSelection(jobInstanceId, request.targetType());
                if (created > 0) {
                    log.info("select: created an empty {} pool in {} org(s); seats move in with the learners",
                            request.targetType(), created);
                }
            }
        }
        return new Selected(selected, null, false, request.options().transferSeats());
    }
}
