package io.licensebatch.job.common;

import io.licensebatch.request.RequestKind;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.FlowJobBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where every license-batch job is built, and found again by the kind of request it carries out. Every job has
 * the same shape: its own selection steps, then the mass-change guard, the apply step, any steps of its own,
 * and the summary; and the listeners every job needs: who runs it and its claim ({@link ExecutionOwnership}),
 * SIGTERM at a chunk boundary ({@link GracefulShutdown}), planner statistics ({@link PlannerStatistics}). A new
 * job gets all of it from here and cannot forget a part.
 */
@Component
public class LicenseJobs {

    /** The steps every job shares, built once (see {@code ApplyStepConfiguration}). */
    public record SharedSteps(Step guard, Step apply, Step summary) {
    }

    private final JobRepository jobRepository;
    private final ExecutionOwnership ownership;
    private final GracefulShutdown shutdown;
    private final PlannerStatistics statistics;
    private final SharedSteps shared;
    private final Map<RequestKind, Job> byKind = new EnumMap<>(RequestKind.class);

    public LicenseJobs(JobRepository jobRepository, ExecutionOwnership ownership, GracefulShutdown shutdown,
            PlannerStatistics statistics, SharedSteps shared) {
        this.jobRepository = jobRepository;
        this.ownership = ownership;
        this.shutdown = shutdown;
        this.statistics = statistics;
        this.shared = shared;
    }

    /**
     * A job for these kinds of request: its selection steps, the guard (blocked: the job stops there, STOPPED,
     * and a restart starts at the guard again), apply, the steps after apply, summary.
     */
    public Job define(String name, Set<RequestKind> kinds, List<Step> selection, List<Step> afterApply) {
        SimpleJobBuilder steps = new JobBuilder(name, jobRepository)
                .listener(ownership)
                .listener(shutdown)
                .listener(statistics)
                .start(selection.get(0));
        for (Step step : selection.subList(1, selection.size())) {
            steps = steps.next(step);
        }
        FlowBuilder<FlowJobBuilder> flow = steps.next(shared.guard())
                .on(MassChangeGuard.BLOCKED).stopAndRestart(shared.guard())
                .from(shared.guard()).on("*").to(shared.apply());
        for (Step step : afterApply) {
            flow = flow.next(step);
        }
        Job job = flow.next(shared.summary()).end().build();
        for (RequestKind kind : kinds) {
            if (byKind.putIfAbsent(kind, job) != null) {
                throw new IllegalStateException("two jobs for " + kind + " requests: " + byKind.get(kind).getName()
                        + " and " + name);
            }
        }
        return job;
    }

    /** The job that carries out requests of this kind. */
    public Job jobFor(RequestKind kind) {
        Job job = byKind.get(kind);
        if (job == null) {
            throw new IllegalStateException("no job carries out " + kind + " requests");
        }
        return job;
    }
}
