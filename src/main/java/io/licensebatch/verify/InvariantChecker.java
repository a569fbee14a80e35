package io.licensebatch.verify;

import io.licensebatch.db.DatabaseDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the invariants of DESIGN.md against the data, for one org or all. Each check is one query that
 * returns the violating rows, described for a person; an empty result means the invariant holds.
 */
@Component
public class InvariantChecker {

    private static final String MORE_THAN_ONE_CURRENT = """
            select 'learner ' || learner_id || ' has ' || count(*) || ' current assignments'
              from license_assignment
             where ended_at is null and (cast(? as bigint) is null or org_id = ?)
             group by learner_id
            having count(*) > 1
            """;

    private static final String POOL_COUNTS = """
            select 'org ' || p.org_id || ' / ' || p.license_type || ': seats_used ' || p.seats_used
                   || ' of ' || p.seats_total || ', current assignments ' || coalesce(c.n, 0)
              from license_pool p
              left join (select org_id, license_type, count(*) as n from license_assignment
                          where ended_at is null group by org_id, license_type) c
                on c.org_id = p.org_id and c.license_type = p.license_type
             where (cast(? as bigint) is null or p.org_id = ?)
               and (p.seats_used <> coalesce(c.n, 0) or p.seats_used < 0 or p.seats_used > p.seats_total)
            """;

    private static final String ASSIGNMENTS_WITHOUT_POOL = """
            select 'org ' || a.org_id || ' / ' || a.license_type || ': ' || count(*)
                   || ' current assignment(s) but no seat pool'
              from license_assignment a
             where a.ended_at is null and (cast(? as bigint) is null or a.org_id = ?)
               and not exists (select 1 from license_pool p where p.org_id = a.org_id and p.license_type = a.license_type)
             group by a.org_id, a.license_type
            """;

    private static final String ASSIGNMENT_OF_UNKNOWN_TYPE = """
            select 'assignment ' || a.id || ' is of license type ' || a.license_type || ', which does not exist'
              from license_assignment a
             where (cast(? as bigint) is null or a.org_id = ?)
               and not exists (select 1 from license_type t where t.code = a.license_type)
            """;

    private static final String ASSIGNMENT_IN_OTHER_ORG = """
            select 'assignment ' || a.id || ' is in org ' || a.org_id || ', its learner ' || l.id || ' in org '
                   || l.org_id
              from license_assignment a
              join learner l on l.id = a.learner_id
             where a.org_id <> l.org_id and (cast(? as bigint) is null or l.org_id = ?)
            """;

    private static final String USAGE_UNDER_OTHER_LEARNER = """
            select 'activity ' || u.id || ' of learner ' || u.learner_id || ' points at assignment ' || a.id
                   || ' of learner ' || a.learner_id
              from learning_activity u
              join license_assignment a on a.id = u.assignment_id
              join learner l on l.id = u.learner_id
             where a.learner_id <> u.learner_id and (cast(? as bigint) is null or l.org_id = ?)
            """;

    private static final String ENDED_BEFORE_STARTED = """
            select 'assignment ' || id || ' ended (' || ended_at || ') before it started (' || assigned_at || ')'
              from license_assignment
             where ended_at < assigned_at and (cast(? as bigint) is null or org_id = ?)
            """;

    private static final String ITEMS_WITHOUT_OUTCOME = """
            select 'job instance ' || s.job_instance_id || ' completed, but ' || count(*)
                   || ' selected item(s) have no outcome'
              from selection_item s
             where (cast(? as bigint) is null or s.org_id = ?)
               and exists (select 1 from batch_job_execution e
                            where e.job_instance_id = s.job_instance_id and e.status = 'COMPLETED')
               and not exists (select 1 from license_change_outcome o
                                where o.job_instance_id = s.job_instance_id and o.item_no = s.item_no)
             group by s.job_instance_id
            """;

    private static final String OUTCOMES_WITHOUT_ITEM = """
            select 'job instance ' || o.job_instance_id || ': ' || count(*) || ' outcome(s) for no selected item'
              from license_change_outcome o
             where (cast(? as bigint) is null or o.org_id = ?)
               and not exists (select 1 from selection_item s
                                where s.job_instance_id = o.job_instance_id and s.item_no = o.item_no)
             group by o.job_instance_id
            """;

    private static final String HISTORY_TRIGGERS = """
            select 'trigger ' || t.name || ' is missing: usage history could be rewritten'
              from (select 'learning_activity_append_only' as name
                    union all select 'license_assignment_never_deleted') t
             where not exists (select 1 from pg_trigger where tgname = t.name)
            """;

    private final JdbcTemplate jdbc;
    private final DatabaseDialect dialect;

    public InvariantChecker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = DatabaseDialect.of(jdbc);
    }

    /** One invariant and what breaks it. */
    public record Check(String invariant, List<String> violations) {
        public boolean holds() {
            return violations.isEmpty();
        }
    }

    /** Every check, for one org (orgId) or all (null). */
    public List<Check> check(Long orgId) {
        List<Check> checks = new ArrayList<>();
        checks.add(run("1. at most one current assignment per learner", MORE_THAN_ONE_CURRENT, orgId));
        checks.add(run("2. seats_used = current assignments, 0 <= seats_used <= seats_total", POOL_COUNTS, orgId));
        checks.add(run("2. every current assignment has a seat pool", ASSIGNMENTS_WITHOUT_POOL, orgId));
        checks.add(run("   assignments belong to their learner's org", ASSIGNMENT_IN_OTHER_ORG, orgId));
        checks.add(run("   assignments are of license types that exist", ASSIGNMENT_OF_UNKNOWN_TYPE, orgId));
        checks.add(run("   assignments end after they start", ENDED_BEFORE_STARTED, orgId));
        checks.add(run("3. usage stays attributed to its learner's assignments", USAGE_UNDER_OTHER_LEARNER, orgId));
        if (dialect == DatabaseDialect.POSTGRESQL) {
            checks.add(run("3. usage history is append-only and assignments are never deleted (triggers)",
                    HISTORY_TRIGGERS));
        }
        checks.add(run("4. every selected item of a completed job has an outcome", ITEMS_WITHOUT_OUTCOME, orgId));
        checks.add(run("4. every outcome belongs to a selected item", OUTCOMES_WITHOUT_ITEM, orgId));
        return checks;
    }

    /** Runs a check; an org-scoped one takes the org id twice ("all orgs" when null). */
    private Check run(String invariant, String sql, Long orgId) {
        return run(invariant, sql, new Object[] {orgId, orgId});
    }

    private Check run(String invariant, String sql, Object... parameters) {
        return new Check(invariant, jdbc.query(sql, (rs, row) -> rs.getString(1), parameters));
    }
}
