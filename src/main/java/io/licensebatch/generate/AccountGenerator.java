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
 * PostgreSQL and H2 alike): a million learners take seconds, not minutes, and so does a platform of thousands of
 * small orgs (every statement covers all of them at once). Deterministic for a seed: every attribute is a hash of
 * the learner's number and the seed.
 *
 * <p>The spread: 80% active, 10% pending, 10% deactivated; six departments, four locations, five groups;
 * current licenses 57% LEARNING_PRO, 20% LEARNING_HUB, 13% LEARNING_ESSENTIALS, 3% LEARNING_CLASSIC
 * (retired), 7% none (revoked earlier); a third of the licensed learners have a prior, ended assignment;
 * every learner has two or more usage rows, under the assignments they happened on. Each pool gets its
 * current use plus half the account size in free seats.
 */
@Component
public class AccountGenerator {

    private static final Logger log = LoggerFactory.getLogger(AccountGenerator.class);

    /** A hash of the learner number g and the seed, in [0, 1000). Different salts give unrelated values. */
    private static String hash(String salt) {
        return "mod(g * 2654435761 + ? * 40503 + " + salt + " * 9973, 1000003) % 1000";
    }

    /**
     * The learners of orgs {@code first} to {@code first + orgs - 1}, {@code perOrg} each, numbered from 1 in each
     * org (g is the learner's number on the whole platform, i its number in its org); each org's email domain is
     * its name's (one org) or "org" and its id (a platform).
     */
    private static final String LEARNERS = """
            insert into learner (org_id, email, external_id, display_name, status, department, location,
                                 last_active_at)
            select org_id, 'learner' || i || '@' || coalesce(cast(? as varchar(200)), 'org' || org_id || '.example'),
                   'EXT' || org_id || '-' || i, 'Learner ' || i,
                   case when h1 < 800 then 'ACTIVE' when h1 < 900 then 'PENDING' else 'DEACTIVATED' end,
                   case mod(h2, 6) when 0 then 'Sales' when 1 then 'Engineering' when 2 then 'Marketing'
                        when 3 then 'Support' when 4 then 'Finance' else 'HR' end,
                   case mod(h3, 4) when 0 then 'Lisbon' when 1 then 'Berlin' when 2 then 'Austin' else 'Singapore' end,
                   case when h1 >= 800 and h1 < 900 then null
                        else timestamp '2026-11-20 09:00:00' - (mod(h3, 400) * interval '1' day) end
              from (select g, ? + (g - 1) / ? as org_id, mod(g - 1, ?) + 1 as i, %s as h1, %s as h2, %s as h3
                      from generate_series(1, ?) as s (g)) t
             order by g
            """.formatted(hash("1"), hash("2"), hash("3"));

    /** The orgs of a platform, "NAME 1" to "NAME N", numbered in the order of their ids. */
    private static final String ORGANIZATIONS = """
            insert into organization (name) select ? || ' ' || g from generate_series(1, ?) as s (g) order by g
            """;

    /**
     * Learners numbered from 1 on (n, from the first learner id, given), with the seed mixed in: the same account
     * for a seed. (The first id is a parameter, not a subquery: H2 runs a scalar subquery again for every row,
     * which made generating on the embedded database quadratic.)
     */
    private static final String NUMBERED = """
            (select id, org_id, id - ? + 1 + ? * 7 as n
               from learner where org_id between ? and ?) l
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
             where a.org_id between ? and ? and a.end_reason = 'REASSIGNED'
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
             where a.org_id between ? and ?
            """;

    /**
     * In every org, a pool of every type, with its current use plus the given number of free seats. One
     * aggregation over a row of no use for every (org, type) and a row of use for every current assignment, not a
     * join of orgs and types to the counted assignments: with no statistics on the fresh tables (a platform's
     * pools are counted in the transaction that inserted its assignments) PostgreSQL estimated a few dozen counts
     * and merged them with the orgs on the type alone, comparing every org with every org's count (quadratic:
     * 20,000 orgs took 80 s, longer than their million learners). An aggregation has no plan that grows with orgs
     * times orgs. Every current assignment's type is one of the types {@link #ensureTypes} made sure of, so no
     * group comes from assignments alone. The pools go in in the order of their keys (the join's order was its
     * plan's).
     */
    private static final String POOLS = """
            insert into license_pool (org_id, license_type, seats_total, seats_used)
            select org_id, license_type, sum(seats) + ?, sum(seats)
              from (select o.id as org_id, t.code as license_type, 0 as seats
                      from organization o cross join license_type t
                     where o.id between ? and ?
                    union all
                    select org_id, license_type, 1 from license_assignment
                     where org_id between ? and ? and ended_at is null) uses
             group by org_id, license_type
             order by org_id, license_type
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

    /** What was generated: orgs {@code firstOrgId} to {@code lastOrgId}, and their learners in all. */
    public record Generated(long firstOrgId, long lastOrgId, long learners, Duration took) {

        public long orgId() {
            return firstOrgId;
        }

        public long orgs() {
            return lastOrgId - firstOrgId + 1;
        }
    }

    /** Generates one org's account in one transaction: all of it, or (on any failure) nothing. */
    public Generated generate(String orgName, long learners, long seed) {
        return generate(orgName, 0, learners, seed);
    }

    /**
     * Generates, in one transaction, one org named {@code name} ({@code orgs} 0), or a platform of {@code orgs}
     * orgs named "NAME 1" to "NAME N", each of {@code learnersPerOrg} learners.
     */
    public Generated generate(String name, int orgs, long learnersPerOrg, long seed) {
        long start = System.nanoTime();
        long[] range = transaction.execute(status -> {
            skipForeignKeyChecksIfAllowed();
            ensureTypes();
            long first;
            long last;
            String domain = null;
            if (orgs == 0) {
                first = createOrganization(name);
                last = first;
                domain = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "") + ".example";
            } else {
                long[] created = createOrganizations(name, orgs);
                first = created[0];
                last = created[1];
            }
            long count = last - first + 1;
            String emailDomain = domain;
            step("learners", () -> jdbc.update(LEARNERS, emailDomain, first, learnersPerOrg, learnersPerOrg, seed,
                    seed, seed, count * learnersPerOrg));
            long firstLearner = jdbc.queryForObject("select min(id) from learner where org_id between ? and ?",
                    Long.class, first, last);
            step("groups", () -> jdbc.update(GROUPS, firstLearner, seed, first, last));
            step("assignments", () -> jdbc.update(FIRST_ASSIGNMENTS, firstLearner, seed, first, last)
                    + jdbc.update(SECOND_ASSIGNMENTS, first, last));
            step("usage rows", () -> jdbc.update(ACTIVITY, first, last));
            step("seat pools", () -> jdbc.update(POOLS, (learnersPerOrg + 1) / 2, first, last, first, last));
            return new long[] {first, last};
        });
        analyze();
        return new Generated(range[0], range[1], (range[1] - range[0] + 1) * learnersPerOrg,
                Duration.ofNanos(System.nanoTime() - start));
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

    /** Creates "NAME 1" to "NAME N"; their ids are consecutive (one statement, in this transaction). */
    private long[] createOrganizations(String name, int orgs) {
        jdbc.update(ORGANIZATIONS, name, orgs);
        Long first = jdbc.queryForObject("select id from organization where name = ?", Long.class, name + " 1");
        Long last = jdbc.queryForObject("select id from organization where name = ?", Long.class, name + " " + orgs);
        if (last - first + 1 != orgs) {
            throw new IllegalStateException("the " + orgs + " new orgs did not get consecutive ids (" + first + " to "
                    + last + "): was another process creating orgs at the same time? Nothing was generated");
        }
        return new long[] {first, last};
    }

    private void step(String what, java.util.function.IntSupplier work) {
        long start = System.nanoTime();
        int rows = work.getAsInt();
        log.info("generate: {} {} in {}", Numbers.count(rows), what,
                Numbers.duration(Duration.ofNanos(System.nanoTime() - start)));
    }
}
