package io.licensebatch.generate;

import io.licensebatch.console.Numbers;
import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.db.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;

/**
 * Generates a synthetic account for trials and benchmarks with set-based SQL (generate_series, on
 * PostgreSQL and H2 alike): a million learners take seconds, not minutes. Deterministic for a seed:
 * every attribute is a hash of the learner's number and the seed.
 *
 * <p>The spread: 80% active, 10% pending, 10% deactivated; six departments, four locations, five groups;
 * current licenses 57% LEARNING_PRO, 20% LEARNING_HUB, 13% LEARNING_ESSENTIALS, 3% LEARNING_CLASSIC
 * (retired), 7% none (revoked earlier); a third of the licensed learners have a prior, ended assignment;
 * every learner has two or more usage rows, under the assignments they happened on. Each pool gets its
 * current use plus half the account size in free seats.
 */
@Component
public class AccountGenerator {

    private static final Logger log = LoggerFactory.getLogger("license-batch");

    /** A hash of the learner number g and the seed, in [0, 1000). Different salts give unrelated values. */
    private static String hash(String salt) {
        return "mod(g * 2654435761 + ? * 40503 + " + salt + " * 9973, 1000003) % 1000";
    }

    private static final String LEARNERS = """
            insert into learner (org_id, email, external_id, display_name, status, department, location,
                                 last_active_at)
            select ?, 'learner' || g || '@' || ?, ? || '-' || g, 'Learner ' || g,
                   case when h1 < 800 then 'ACTIVE' when h1 < 900 then 'PENDING' else 'DEACTIVATED' end,
                   case mod(h2, 6) when 0 then 'Sales' when 1 then 'Engineering' when 2 then 'Marketing'
                        when 3 then 'Support' when 4 then 'Finance' else 'HR' end,
                   case mod(h3, 4) when 0 then 'Lisbon' when 1 then 'Berlin' when 2 then 'Austin' else 'Singapore' end,
                   case when h1 >= 800 and h1 < 900 then null
                        else timestamp '2026-11-20 09:00:00' - (mod(h3, 400) * interval '1' day) end
              from (select g, %s as h1, %s as h2, %s as h3 from generate_series(1, ?) as s (g)) t
            """.formatted(hash("1"), hash("2"), hash("3"));

    /** Learners numbered from 1 within the org (n), with the seed mixed in: the same account for a seed. */
    private static final String NUMBERED = """
            (select id, org_id, id - (select min(id) from learner where org_id = ?) + 1 + ? * 7 as n
               from learner where org_id = ?) l
            """;

    private static final String GROUPS = """
            insert into learner_group (learner_id, group_name)
            select id, case mod(n, 5) when 0 then 'Managers' when 1 then 'New hires'
                            when 2 then 'Certification track' when 3 then 'EMEA' else 'Mentors' end
              from %s
             where mod(n * 7, 3) <> 0
            """.formatted(NUMBERED);

    /**
     * Every learner's first assignment. Current type by t: PRO 57%, HUB 20%, ESSENTIALS 13%, CLASSIC 3%,
     * none 7% (an ESSENTIALS license revoked earlier). A third of the PRO and HUB learners changed type once:
     * their first assignment (ESSENTIALS before PRO, PRO before HUB) ended REASSIGNED.
     */
    private static final String FIRST_ASSIGNMENTS = """
            insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by, ended_at,
                                            end_reason, ended_by)
            select id, org_id,
                   case when changed and t < 570 then 'LEARNING_ESSENTIALS'
                        when changed then 'LEARNING_PRO'
                        when t < 570 then 'LEARNING_PRO'
                        when t < 770 then 'LEARNING_HUB'
                        when t < 930 and t >= 900 then 'LEARNING_CLASSIC'
                        else 'LEARNING_ESSENTIALS' end,
                   timestamp '2024-01-15 09:00:00', 'generate',
                   case when changed or t >= 930 then timestamp '2025-03-01 09:00:00' end,
                   case when changed then 'REASSIGNED' when t >= 930 then 'REVOKED' end,
                   case when changed or t >= 930 then 'generate' end
              from (select id, org_id, t, (c < 333 and t < 770) as changed
                      from (select id, org_id, mod(n * 7919, 1000) as t, mod(n * 104729, 1000) as c
                              from %s) typed) x
            """.formatted(NUMBERED);

    /** The current assignment of those whose first one ended by a change of type. */
    private static final String SECOND_ASSIGNMENTS = """
            insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
            select a.learner_id, a.org_id,
                   case when a.license_type = 'LEARNING_ESSENTIALS' then 'LEARNING_PRO' else 'LEARNING_HUB' end,
                   timestamp '2025-03-01 09:00:00', 'generate'
              from license_assignment a
             where a.org_id = ? and a.end_reason = 'REASSIGNED'
            """;

    /** Two usage rows under every assignment, during its lifetime. */
    private static final String ACTIVITY = """
            insert into learning_activity (learner_id, assignment_id, content_id, seconds_viewed, occurred_at)
            select a.learner_id, a.id,
                   case mod(a.learner_id + k, 5) when 0 then 'course:excel-advanced' when 1 then 'course:leadership-101'
                        when 2 then 'course:python-basics' when 3 then 'video:feedback-that-works'
                        else 'path:data-analyst' end,
                   60 + mod(a.learner_id * 31 + k * 17, 3000),
                   a.assigned_at + (k * 7 + mod(a.learner_id, 20)) * interval '1' day
              from license_assignment a
             cross join (select g as k from generate_series(1, 2) as s (g)) twice
             where a.org_id = ?
            """;

    /** A pool of every type, with its current use plus the given number of free seats. */
    private static final String POOLS = """
            insert into license_pool (org_id, license_type, seats_total, seats_used)
            select ?, code, used + ?, used
              from (select t.code, (select count(*) from license_assignment a
                                     where a.org_id = ? and a.license_type = t.code and a.ended_at is null) as used
                      from license_type t) counted
            """;

    private static final String TYPES = """
            insert into license_type (code, name, retired)
            select ?, ?, ? where not exists (select 1 from license_type where code = ?)
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DatabaseDialect dialect;

    public AccountGenerator(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.dialect = DatabaseDialect.of(jdbc);
    }

    /** What was generated. */
    public record Generated(long orgId, long learners, Duration took) {
    }

    /** Generates the account in one transaction: all of it, or (on any failure) nothing. */
    public Generated generate(String orgName, long learners, long seed) {
        long start = System.nanoTime();
        long orgId = transaction.execute(status -> {
            skipForeignKeyChecksIfAllowed();
            ensureTypes();
            long id = createOrganization(orgName);
            String domain = orgName.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "")
                    + ".example";
            String externalPrefix = "EXT" + id;
            step("learners", () -> jdbc.update(LEARNERS, id, domain, externalPrefix, seed, seed, seed, learners));
            step("groups", () -> jdbc.update(GROUPS, id, seed, id));
            step("assignments", () -> jdbc.update(FIRST_ASSIGNMENTS, id, seed, id)
                    + jdbc.update(SECOND_ASSIGNMENTS, id));
            step("usage rows", () -> jdbc.update(ACTIVITY, id));
            step("seat pools", () -> jdbc.update(POOLS, id, (learners + 1) / 2, id));
            return id;
        });
        analyze();
        return new Generated(orgId, learners, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Every row this generator inserts points at rows it inserted itself, in the same transaction, so the
     * foreign keys hold by construction; checking them row by row (a lookup and a row lock on the parent
     * for each of millions of rows) triples the time. On PostgreSQL, as a superuser, the checks are skipped
     * for this transaction only ({@code session_replication_role = replica}); otherwise they run.
     */
    private void skipForeignKeyChecksIfAllowed() {
        if (dialect != DatabaseDialect.POSTGRESQL) {
            return;
        }
        Boolean superuser = jdbc.queryForObject("select rolsuper from pg_roles where rolname = current_user",
                Boolean.class);
        if (Boolean.TRUE.equals(superuser)) {
            jdbc.execute("set local session_replication_role = replica");
        } else {
            log.info("generate: not a superuser, so foreign keys are checked row by row (slower)");
        }
    }

    /**
     * Leaves planner statistics behind for the tables it filled: on a server whose autovacuum is off (or slow to
     * get to them) the first jobs would otherwise be planned for empty tables.
     */
    private void analyze() {
        if (dialect != DatabaseDialect.POSTGRESQL) {
            return;
        }
        long start = System.nanoTime();
        for (String table : java.util.List.of("organization", "learner", "learner_group", "license_assignment",
                "learning_activity", "license_pool", "license_type")) {
            jdbc.execute("analyze " + table);
        }
        log.info("generate: planner statistics in {}", Numbers.duration(Duration.ofNanos(System.nanoTime() - start)));
    }

    private void ensureTypes() {
        String[][] types = {{"LEARNING_PRO", "Learning Pro", "false"}, {"LEARNING_HUB", "Learning Hub", "false"},
                {"LEARNING_ESSENTIALS", "Learning Essentials", "false"},
                {"LEARNING_CLASSIC", "Learning Classic (retired)", "true"}};
        for (String[] type : types) {
            jdbc.update(TYPES, type[0], type[1], Boolean.parseBoolean(type[2]), type[0]);
        }
    }

    private long createOrganization(String name) {
        return Sql.insertReturningId(jdbc, "insert into organization (name) values (?)", name);
    }

    private void step(String what, java.util.function.IntSupplier work) {
        long start = System.nanoTime();
        int rows = work.getAsInt();
        log.info("generate: {} {} in {}", Numbers.count(rows), what,
                Numbers.duration(Duration.ofNanos(System.nanoTime() - start)));
    }
}
