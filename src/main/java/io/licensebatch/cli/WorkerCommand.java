package io.licensebatch.cli;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.remote.PartitionWorker;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "worker", header = "Run the apply partitions that jobs started with --workers remote send.",
        mixinStandardHelpOptions = true,
        description = {"Run as a worker process: take partition requests from RabbitMQ (the queue",
                "license-batch.partitions) and run them on the shared PostgreSQL database, as the job's own",
                "threads would. Runs until SIGTERM, which stops the partitions in hand after their current chunk",
                "(they end STOPPED; `license-batch restart EXECUTION` resumes them), then exits 0. A worker killed",
                "outright loses nothing: its partition goes to another worker, which resumes it.",
                "Broker: SPRING_RABBITMQ_HOST, _PORT, _USERNAME, _PASSWORD (default localhost:5672, guest)."})
class WorkerCommand extends DatabaseCommand {

    @Option(names = "--concurrency", defaultValue = "2", paramLabel = "N",
            description = "How many partitions this worker runs at once, 1 to 64 (default: ${DEFAULT-VALUE}); each"
                    + " takes two database connections, and the worker four more")
    int concurrency;

    @Override
    List<String> settings() {
        if (concurrency < 1 || concurrency > 64) {
            throw new UsageException("--concurrency: between 1 and 64, not " + concurrency);
        }
        return List.of("--license-batch.workers=remote",
                "--spring.datasource.hikari.maximum-pool-size=" + connections());
    }

    /** Each partition holds a connection for its chunks and one for its claim; the repository needs a few more. */
    private int connections() {
        return 2 * concurrency + 4;
    }

    /**
     * A worker whose connections the server could never give (its pool opens them as the partitions come) would
     * fail its partitions one after the other and starve every other client of the database: refused up front.
     */
    private void fitsTheServersConnections(JdbcTemplate jdbc) {
        int allowed = jdbc.queryForObject("select current_setting('max_connections')::int"
                + " - current_setting('superuser_reserved_connections')::int", Integer.class);
        if (connections() > allowed) {
            throw new UsageException("--concurrency " + concurrency + " needs " + connections() + " database"
                    + " connections (2 per partition, and 4), more than the server gives clients (" + allowed
                    + ": max_connections less superuser_reserved_connections); lower --concurrency, or raise"
                    + " max_connections");
        }
    }

    private static final String NEEDS_POSTGRESQL = "workers share the job repository with the job that sends them"
            + " work, and the embedded H2 database opens in one process only; use PostgreSQL (--db)";

    /** Refused before the database is opened, which would create it (under {@code ./data/} for the default). */
    @Override
    void beforeStart() {
        if (database.isH2(System.getenv())) {
            throw new UsageException(NEEDS_POSTGRESQL);
        }
    }

    @Override
    int run(AppContext app) throws InterruptedException {
        if (DatabaseDialect.of(app.bean(JdbcTemplate.class)) != DatabaseDialect.POSTGRESQL) {
            throw new UsageException(NEEDS_POSTGRESQL);
        }
        fitsTheServersConnections(app.bean(JdbcTemplate.class));
        app.bean(PartitionWorker.class).run(concurrency);
        return ExitCodes.COMPLETED;
    }
}
