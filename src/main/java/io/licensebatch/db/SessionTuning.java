package io.licensebatch.db;

import io.licensebatch.db.DatabaseDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The few settings of the current PostgreSQL transaction that a job changes for a statement or two: statistics
 * of a selection it has just filled, parallel workers for the queries that scan a whole selection, a chunk's
 * commit that does not wait for the disk. H2 needs none of them.
 */
@Repository
public class SessionTuning {

    /**
     * Refreshes the planner's statistics of the snapshot table after a large selection was inserted: with the
     * estimates of an empty table, the aggregates over it (seat impact, repeated learners) sort on disk.
     * Rows inserted by this transaction count as live for ANALYZE, so it works before the commit. PostgreSQL
     * only: H2's ANALYZE commits the open transaction, which would save half a selection (and its planner
     * does not need it at the embedded default's sizes).
     */
    public void analyze() {
        if (dialect == DatabaseDialect.POSTGRESQL) {
            // A 3,000-row sample (the default is 30,000, which reads most pages of a million-item selection:
            // 0.39 s instead of 0.05 s) is plenty for what the plans need: the table's size and its few
            // distinct orgs, types and actions.
            jdbc.execute("set local default_statistics_target = 10");
            jdbc.execute("analyze selection_item");
            jdbc.execute("set local default_statistics_target to default");
        }
    }

    /**
     * Lets the rest of the current transaction's queries use the server's parallel workers: for the few
     * queries that scan a whole selection (counts, seat impact, partition bounds), which halve with them. The
     * sessions' default is none (see {@code PostgresSessions}); only this transaction changes.
     */
    public void allowParallelQueryInThisTransaction() {
        if (dialect == DatabaseDialect.POSTGRESQL) {
            jdbc.execute("set local max_parallel_workers_per_gather to default");
        }
    }

    /**
     * Lets the current transaction (a chunk) commit without waiting for its WAL to reach the disk: PostgreSQL's
     * asynchronous commit, for this transaction only ({@code set local}). A chunk's commit is then as cheap as
     * its statements, instead of an fsync each (60 of them for 114,000 learners, one thread waiting each time).
     *
     * <p>What it risks, and why that is safe here: if the database server itself crashes (not this process: a
     * killed job's commits are already in the server's memory and reach the disk within the WAL writer's delay),
     * the last few chunks committed this way may be lost, whole and in commit order, never in part and never one
     * without the ones before it. A chunk's changes, its outcome rows and its step's checkpoint are one
     * transaction, so a lost chunk is as if it had never run: the run is left unfinished, and {@code restart}
     * does those items again, from the outcome rows (the process indicator). Anything that waits for the disk
     * flushes everything committed before it: the end of a step or a run (Spring Batch's own transactions, which
     * keep the default), another job's chunk that read these pools, a {@code pools set}. So a run never ends
     * COMPLETED with a chunk that could still be lost.
     */
    public void commitWithoutWaitingForTheDisk() {
        if (dialect == DatabaseDialect.POSTGRESQL) {
            jdbc.execute("set local synchronous_commit = off");
        }
    }

    private final JdbcTemplate jdbc;
    private final DatabaseDialect dialect;

    public SessionTuning(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = DatabaseDialect.of(jdbc);
    }
}
