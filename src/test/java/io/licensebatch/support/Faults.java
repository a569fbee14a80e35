package io.licensebatch.support;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Failures made real by the database itself: triggers that cancel a job's writes, as an operator's
 * {@code pg_cancel_backend} would (SQLSTATE 57014, a transient failure that outlasts the chunk's retries).
 */
public final class Faults {

    private Faults() {
    }

    /** Every outcome write of a job is cancelled once the job has more than {@code limit} outcomes. */
    public static void cancelOutcomeWritesAfter(JdbcTemplate jdbc, int limit) {
        jdbc.execute("""
                create function fail_write() returns trigger language plpgsql as $$
                begin
                    if (select count(*) from license_change_outcome o
                         where o.job_instance_id in (select job_instance_id from written)) > %d then
                        raise exception 'canceling statement due to user request' using errcode = '57014';
                    end if;
                    return null;
                end $$
                """.formatted(limit));
        jdbc.execute("create trigger fail_outcomes after insert on license_change_outcome"
                + " referencing new table as written for each statement execute function fail_write()");
    }

    /**
     * Cuts every session of the database but the caller's, as {@code pg_terminate_backend} does for an operator,
     * a failover or a firewall that drops idle connections; returns how many it cut.
     */
    public static int cutConnections(JdbcTemplate jdbc) {
        return jdbc.queryForList("""
                select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
                """, Boolean.class).size();
    }

    /**
     * Makes every statement that inserts into the table take at least this long, as a busy server would: for
     * the tests that act while a run is under way (kill it, stop it, cut its connections), whose runs would
     * otherwise be over before the moment to act on them. Nothing else about the run changes.
     */
    public static void slowDown(JdbcTemplate jdbc, String table, int millis) {
        slowerStatements(jdbc, millis);
        jdbc.execute("create trigger slow_" + table + " after insert on " + table
                + " for each statement execute function slow_statement()");
    }

    /** Every statement {@link #slowDown} slowed takes {@code millis} more from now on (runs in progress too). */
    public static void slowerStatements(JdbcTemplate jdbc, int millis) {
        jdbc.execute("""
                create or replace function slow_statement() returns trigger language plpgsql as $$
                begin
                    perform pg_sleep(%s);
                    return null;
                end $$
                """.formatted(millis / 1000.0));
    }

    public static void clear(JdbcTemplate jdbc) {
        jdbc.execute("drop trigger if exists fail_outcomes on license_change_outcome");
        jdbc.execute("drop function if exists fail_write()");
    }
}
