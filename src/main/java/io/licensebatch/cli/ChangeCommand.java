package io.licensebatch.cli;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.job.common.JobParameterNames;
import io.licensebatch.job.common.JobRunner;
import io.licensebatch.selection.ChangeRequest;
import io.licensebatch.selection.ChangeRequestFactory;
import io.licensebatch.selection.SelectionSpec;
import io.licensebatch.selection.csv.CsvUpload;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code reassign} and {@code revoke}: a request from the options, then the job that carries it out. */
abstract class ChangeCommand extends JobCommand {

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization: id or name")
    String org;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--dry-run", description = "Record what would happen (WOULD_REASSIGN, WOULD_REVOKE, NO_SEATS"
            + " ...) and print the seat impact; change nothing")
    boolean dryRun;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why: kept with every outcome of this run")
    String note;

    abstract Action action();

    abstract String target();

    @Override
    void beforeStart() {
        String csv = selection.spec().csvFile();
        if (csv != null) {
            CsvUpload.checkAhead(Path.of(csv));
        }
    }

    @Override
    int run(AppContext app) {
        SelectionSpec spec = selection.spec();
        ChangeRequestFactory requests = app.bean(ChangeRequestFactory.class);
        ChangeRequest request = spec.csvFile() != null
                ? requests.csv(org, action(), target(), spec, dryRun, note, operator())
                : requests.learnersOrFilters(org, action(), target(), spec, dryRun, note, operator());
        out().printf("Request %d: %s%s%n", request.id(), request.description(), dryRun ? " [dry run]" : "");
        out().flush();
        JobParameters parameters = new JobParametersBuilder()
                .addLong(JobParameterNames.REQUEST, request.id())
                .addJobParameter(JobParameterNames.DRY_RUN, dryRun, Boolean.class)
                .toJobParameters();
        String job = spec.csvFile() != null ? "csvUploadJob" : "licenseChangeJob";
        JobExecution execution = app.bean(JobRunner.class).run(app.bean(job, Job.class), parameters);
        return finish(execution);
    }
}
