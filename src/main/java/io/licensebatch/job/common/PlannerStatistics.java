package io.licensebatch.job.common;

import io.licensebatch.db.DatabaseDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Before a job starts, makes sure the platform tables it reads have planner statistics at all: a server whose
 * autovacuum is off (or a database restored a minute ago) has none, and PostgreSQL then guesses that a table of
 * a million current assignments holds a hundred, and plans accordingly. A table that has never been analyzed
 * is analyzed here, once (a sample: a fraction of a second for a million rows); tables that have statistics
 * are left alone, however old they are. The job's own hot statements are shaped not to depend on them (see
 * {@code SelectionGateway}), but the selections and aggregates over a whole org do.
 */
@Component
public class PlannerStatistics implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);

    /** What the jobs read, besides their own tables (which they analyze as they fill them). */
    static final List<String> TABLES = List.of("learner", "license_assignment", "learner_group", "license_pool",
            "organization", "license_type");

    private static final String HAS_STATISTICS = """
            select exists (select 1 from pg_stats where schemaname = current_schema() and tablename = ?)
            """;

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    public PlannerStatistics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.postgres = DatabaseDialect.of(jdbc) == DatabaseDialect.POSTGRESQL;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        ensure();
    }

    /** Analyzes each of the tables that has no statistics; returns the ones it analyzed. */
    public List<String> ensure() {
        if (!postgres) {
            return List.of();
        }
        List<String> analyzed = TABLES.stream()
                .filter(table -> !Boolean.TRUE.equals(jdbc.queryForObject(HAS_STATISTICS, Boolean.class, table)))
                .toList();
        for (String table : analyzed) {
            long start = System.nanoTime();
            jdbc.execute("analyze " + table);
            log.info("{} had no planner statistics (is autovacuum off?): analyzed it in {} ms", table,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return analyzed;
    }
}
