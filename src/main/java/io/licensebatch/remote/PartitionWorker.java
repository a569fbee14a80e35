package io.licensebatch.remote;

import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.job.common.PartitionPlan;
import io.licensebatch.job.common.PartitionWorkerStep;
import io.licensebatch.job.common.RequestClaims;
import io.licensebatch.jvm.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker process ({@code license-batch worker}): consumes partition requests from the queue and runs each one
 * with Spring Batch Integration's {@link StepExecutionRequestHandler}, on the shared job repository, as the
 * manager's own threads would. What it adds around the handler:
 *
 * <ul>
 * <li>A claim per partition (a PostgreSQL advisory lock, {@link RequestClaims#claimPartition}), taken before the
 * step runs: the broker delivers at least once, so a request can arrive twice (its first worker lost its broker
 * connection but lives on), and then the second delivery waits in the queue until the first run has ended.</li>
 * <li>A request whose partition is no longer running (it completed, or was failed by the manager, or belongs to
 * an execution a restart has replaced) is acknowledged and skipped.</li>
 * <li>Acknowledgement only after the partition has ended (prefetch 1): a worker killed mid-partition leaves its
 * request unacknowledged, the broker gives it to another worker, and that one resumes the partition from its
 * outcome rows (the process indicator), so nothing is done twice and nothing is waited for.</li>
 * <li>SIGTERM: every partition in hand stops after its current chunk (it ends STOPPED, and {@code restart}
 * resumes it), requests not yet started go back to the queue, and the worker exits 0.</li>
 * </ul>
 */
@Component
@ConditionalOnProperty(prefix = "license-batch", name = "workers", havingValue = "remote")
public class PartitionWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

    /** How long a request whose partition another worker holds stays out of the queue before it is tried again. */
    private static final Duration HELD_ELSEWHERE_PAUSE = Duration.ofSeconds(2);

    private final JobRepository jobRepository;
    private final RequestClaims claims;
    private final PartitionPlan plan;
    private final PartitionWorkers workers;
    private final ConnectionFactory connectionFactory;
    private final SimpleMessageConverter converter;
    private final IntegrationFlowContext flows;
    private final Map<String, PartitionWorkerStep> steps = new ConcurrentHashMap<>();
    private final LicenseBatchProperties properties;
    private final JdbcTemplate jdbc;
    private final Map<Long, StepExecution> running = new ConcurrentHashMap<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String name;
    private volatile boolean stopping;
    /** Why this worker must not go on (a request from a job on another database), once it knows. */
    private volatile String misdirected;

    public PartitionWorker(JobRepository jobRepository, RequestClaims claims, PartitionPlan plan,
            PartitionWorkers workers, ConnectionFactory connectionFactory, SimpleMessageConverter converter,
            IntegrationFlowContext flows, List<PartitionWorkerStep> partitionSteps, LicenseBatchProperties properties,
            JdbcTemplate jdbc) {
        this.jobRepository = jobRepository;
        this.claims = claims;
        this.plan = plan;
        this.workers = workers;
        this.connectionFactory = connectionFactory;
        this.converter = converter;
        this.flows = flows;
        this.properties = properties;
        this.jdbc = jdbc;
        partitionSteps.forEach(step -> steps.put(step.getName(), step));
        this.name = hostName() + ":" + ProcessHandle.current().pid();
    }

    /**
     * Consumes the queue with {@code concurrency} threads until SIGTERM (or {@link #stop}); then returns, once the
     * partitions in hand have ended. Fails if the broker consumer stops for good (a refused login, a deleted
     * queue): a worker that consumes nothing must not look alive.
     */
    public void run(int concurrency) throws InterruptedException {
        // A worker that starts without its broker says so and ends (a supervisor starts it again), instead of
        // retrying with a stack trace every 5 s; one that loses the broker later reconnects by itself.
        BrokerUnreachableException.check(connectionFactory, "for the worker",
                "then start the worker again. It took no partition");
        String database = RemotePartitioning.database(jdbc);
        StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
        handler.setJobRepository(jobRepository);
        handler.setStepLocator(this::step);
        String queue = properties.remote().queue();
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setConcurrentConsumers(concurrency);
        // One request per thread, acknowledged once its partition has ended: a killed worker's goes to another.
        container.setPrefetchCount(1);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setDefaultRequeueRejected(true);
        // On SIGTERM the consumers are cancelled and the partitions in hand get this long to stop at their chunk.
        container.setShutdownTimeout(properties.shutdownWait().toMillis());
        container.setErrorHandler(this::requeued);
        IntegrationFlow flow = IntegrationFlow
                .from(Amqp.inboundAdapter(container).messageConverter(converter))
                .handle(StepExecutionRequest.class, (request, headers) -> {
                    inFlight.incrementAndGet();
                    try {
                        take(request, headers.get(RemotePartitioning.DATABASE_HEADER, String.class), database,
                                handler);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    return null;
                })
                .get();
        Runnable unregister = Signals.onStop(this::stop, properties.shutdownWait());
        IntegrationFlowContext.IntegrationFlowRegistration registration = flows.registration(flow)
                .id("partitionRequestsFromBroker").register();
        log.atInfo().addKeyValue("worker", name).addKeyValue("queue", queue).addKeyValue("concurrency", concurrency)
                .log("worker {} consumes {} with {} thread(s); SIGTERM stops it after the chunks in hand", name, queue,
                        concurrency);
        try {
            while (!stopRequested.await(1, TimeUnit.SECONDS)) {
                if (!container.isRunning()) {
                    throw new IllegalStateException("worker " + name + ": its consumer of " + queue + " stopped (see"
                            + " the log above: the broker refused it, or the queue is gone); start the worker again");
                }
            }
            // No new request from here on; the ones in hand stop at their next chunk boundary (flagged by stop()).
            container.stop();
            while (inFlight.get() > 0 || !running.isEmpty()) {
                Thread.sleep(100);
            }
        } finally {
            registration.destroy();
            unregister.run();
        }
        if (misdirected != null) {
            throw new IllegalStateException(misdirected);
        }
        log.atInfo().addKeyValue("worker", name).log("worker {} stopped", name);
    }

    /** This worker must not run the request it holds, nor any other: it goes back to the queue, the worker ends. */
    private void refuse(String why) {
        if (misdirected == null) {
            misdirected = why;
            log.error("{}", why);
        }
        stop();
        throw new PartitionRequeued(why);
    }

    /** Stops taking requests; the partitions in hand stop after their current chunk. */
    public void stop() {
        stopping = true;
        if (!running.isEmpty()) {
            log.warn("worker {} stopping: {} partition(s) in hand stop after their current chunk (STOPPED;"
                    + " `license-batch restart` of their execution resumes them)", name, running.size());
        }
        running.values().forEach(StepExecution::setTerminateOnly);
        stopRequested.countDown();
    }

    /** A request given back to the queue (or, if it can never run here, dropped): said in one line. */
    private void requeued(Throwable failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        while (cause.getCause() != null && !(cause instanceof PartitionRequeued)
                && !(cause instanceof AmqpRejectAndDontRequeueException)) {
            cause = cause.getCause();
        }
        if (cause instanceof PartitionRequeued) {
            log.debug("{}", cause.getMessage());
        } else if (cause instanceof AmqpRejectAndDontRequeueException) {
            log.error("worker {}: dropped a request it can never run: {}", name, cause.getMessage());
        } else {
            log.warn("worker {}: a partition request failed and goes back to the queue: {}", name, cause.toString());
        }
    }

    private void take(StepExecutionRequest request, String jobDatabase, String database,
            StepExecutionRequestHandler handler) {
        if (jobDatabase != null && !jobDatabase.equals(database)) {
            refuse("worker " + name + " works on database " + database + ", but " + describe(request) + " comes"
                    + " from a job on database " + jobDatabase + ": the request goes back to the queue and this worker"
                    + " stops. Start workers with the job's database (--db or LICENSE_BATCH_DB_URL), or give each"
                    + " database a queue of its own (LICENSE_BATCH_REMOTE_QUEUE)");
        }
        if (stopping) {
            throw new PartitionRequeued("worker " + name + " is stopping: " + describe(request) + " goes back to"
                    + " the queue");
        }
        StepExecution execution = find(request.getStepExecutionId());
        if (execution == null || !execution.getStatus().isRunning()) {
            log.info("{}: {} (skipped)", describe(request), execution == null ? "no such step execution"
                    : "already " + execution.getStatus());
            return;
        }
        if (!steps.containsKey(request.getStepName())) {
            throw new AmqpRejectAndDontRequeueException(describe(request) + " names step '" + request.getStepName()
                    + "', which this worker does not have (a worker of another version?)");
        }
        long instance = execution.getJobExecution().getJobInstanceId();
        PartitionPlan.Range range;
        try {
            range = plan.range(instance, execution.getStepName());
        } catch (IllegalStateException e) {
            throw new AmqpRejectAndDontRequeueException(describe(request) + ": no partition plan for "
                    + execution.getStepName() + " of job instance " + instance + " (a worker on another database?)", e);
        }
        Optional<RequestClaims.Claim> claim = claims.claimPartition(instance, range.position());
        if (claim.isEmpty()) {
            log.info("{}: another worker runs this range right now; back to the queue in {} s", describe(request),
                    HELD_ELSEWHERE_PAUSE.toSeconds());
            pause();
            throw new PartitionRequeued(describe(request) + " is held by another worker");
        }
        try (RequestClaims.Claim held = claim.get()) {
            // Read again under the claim: the run before it may have just ended it.
            execution = jobRepository.getStepExecution(request.getStepExecutionId());
            if (!execution.getStatus().isRunning()) {
                log.info("{}: already {} (skipped)", describe(request), execution.getStatus());
                return;
            }
            held.whenLost(() -> flagRunning(request.getStepExecutionId()));
            workers.took(execution.getId(), name);
            log.atInfo().addKeyValue("execution", execution.getJobExecutionId()).addKeyValue("step",
                    execution.getStepName()).addKeyValue("worker", name).addKeyValue("items", range.items())
                    .log("took {} of execution {} (items {}..{}, {} in all)", execution.getStepName(),
                            execution.getJobExecutionId(), range.firstItem(), range.lastItem(), range.items());
            long started = System.nanoTime();
            // A range resumed after another worker died counts on from where that one left it: the log says what
            // this worker wrote.
            long writtenBefore = execution.getWriteCount();
            StepExecution ended = handler.handle(request);
            String description = ended.getExitStatus().getExitDescription();
            String cause = ended.getStatus() != BatchStatus.FAILED ? null
                    : description == null || description.isBlank() ? "no cause recorded"
                    : FailureCause.innermost(description);
            log.atLevel(cause == null ? Level.INFO : Level.ERROR).addKeyValue("execution", ended.getJobExecutionId())
                    .addKeyValue("step", ended.getStepName()).addKeyValue("worker", name)
                    .addKeyValue("status", ended.getStatus().name())
                    .addKeyValue("written", ended.getWriteCount() - writtenBefore)
                    .log("{} of execution {}: {} ({} written here, {} s){}", ended.getStepName(),
                            ended.getJobExecutionId(), ended.getStatus(), ended.getWriteCount() - writtenBefore,
                            Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                            cause == null ? "" : ": " + cause);
            requeueIfItsEndWasNotRecorded(request, ended);
        }
    }

    /**
     * The handler returns whether or not the partition's end reached the job repository: when it could not be
     * recorded (a connection lost at that moment, or a database server that crashed and came back without the
     * last commits, so that the version the step holds is ahead of the row's), the repository still says the
     * partition runs, and nobody would ever run or end it, with its request acknowledged and its claim released.
     * So it is read again, under the claim, and such a request goes back to the queue: a worker takes it again
     * and resumes the range from its outcome rows.
     */
    private void requeueIfItsEndWasNotRecorded(StepExecutionRequest request, StepExecution ended) {
        StepExecution recorded = jobRepository.getStepExecution(request.getStepExecutionId());
        if (recorded != null && recorded.getStatus().isRunning()) {
            log.warn("worker {}: {} ended {} here, but the job repository still says {} (its end could not be"
                    + " recorded); it goes back to the queue, to be resumed from its outcomes in {} s", name,
                    describe(request), ended.getStatus(), recorded.getStatus(), HELD_ELSEWHERE_PAUSE.toSeconds());
            pause();
            throw new PartitionRequeued(describe(request) + " is still " + recorded.getStatus()
                    + " in the job repository");
        }
    }

    /** The step the handler runs: the partition step, watched so that SIGTERM and a lost claim can flag it. */
    private Step step(String stepName) {
        PartitionWorkerStep step = steps.get(stepName);
        if (step == null) {
            return null;
        }
        return new Step() {
            @Override
            public String getName() {
                return step.getName();
            }

            @Override
            public void execute(StepExecution execution) throws JobInterruptedException {
                running.put(execution.getId(), execution);
                try {
                    if (stopping) {
                        execution.setTerminateOnly();
                    }
                    step.execute(execution);
                } finally {
                    running.remove(execution.getId());
                }
            }
        };
    }

    private StepExecution find(long stepExecutionId) {
        try {
            return jobRepository.getStepExecution(stepExecutionId);
        } catch (EmptyResultDataAccessException e) {
            // Spring Batch 6's JDBC DAO throws here rather than returning null
            return null;
        }
    }

    private void flagRunning(long stepExecutionId) {
        StepExecution execution = running.get(stepExecutionId);
        if (execution != null) {
            execution.setTerminateOnly();
        }
    }

    private static String describe(StepExecutionRequest request) {
        return "partition request (step execution " + request.getStepExecutionId() + ")";
    }

    private static void pause() {
        try {
            Thread.sleep(HELD_ELSEWHERE_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** Thrown to give a request back to the broker (the container requeues a request whose handling failed). */
    static final class PartitionRequeued extends RuntimeException {
        PartitionRequeued(String message) {
            super(message);
        }
    }
}
