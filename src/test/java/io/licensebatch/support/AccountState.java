package io.licensebatch.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An org's licenses, seats, usage and outcomes without ids or times, so that two databases (or the same one
 * before and after) can be compared: a run killed and restarted must end where an uninterrupted one ends.
 */
public record AccountState(List<String> assignments, List<String> pools, List<String> usage, List<String> outcomes) {

    /** Equal to another state, compared part by part, so that a failure says which part differs. */
    public void assertSameAs(AccountState expected) {
        assertThat(assignments).as("assignments").isEqualTo(expected.assignments);
        assertThat(pools).as("seat pools").isEqualTo(expected.pools);
        assertThat(outcomes).as("outcomes").isEqualTo(expected.outcomes);
        assertThat(usage).as("usage").isEqualTo(expected.usage);
    }

    /** Every org's state, in org order: a platform-wide run compared with another. */
    public static List<AccountState> platform(JdbcTemplate jdbc) {
        return jdbc.queryForList("select id from organization order by id", Long.class).stream()
                .map(org -> of(jdbc, org)).toList();
    }

    public static AccountState of(JdbcTemplate jdbc, long orgId) {
        List<String> assignments = jdbc.queryForList("""
                select l.email || ' ' || a.license_type || ' ' || case when a.ended_at is null then 'current'
                       else 'ended ' || a.end_reason end
                  from license_assignment a join learner l on l.id = a.learner_id
                 where a.org_id = ?
                 order by l.email, a.assigned_at, a.license_type, a.ended_at
                """, String.class, orgId);
        List<String> pools = jdbc.queryForList("""
                select license_type || ' ' || seats_used || ' of ' || seats_total
                  from license_pool where org_id = ? order by license_type
                """, String.class, orgId);
        List<String> usage = usage(jdbc, orgId);
        List<String> outcomes = jdbc.queryForList("""
                select coalesce(l.email, o.identifier) || ' ' || o.status || ' ' || coalesce(o.reason, '-') || ' '
                       || coalesce(o.previous_license_type, '-') || '>' || coalesce(o.new_license_type, '-')
                  from license_change_outcome o left join learner l on l.id = o.learner_id
                 where o.org_id = ?
                 order by 1
                """, String.class, orgId);
        return new AccountState(assignments, pools, usage, outcomes);
    }

    /** Every usage row with the license type it is attributed to. */
    public static List<String> usage(JdbcTemplate jdbc, long orgId) {
        return jdbc.queryForList("""
                select l.email || ' ' || a.license_type || ' ' || u.content_id || ' ' || u.seconds_viewed || ' '
                       || u.occurred_at
                  from learning_activity u
                  join learner l on l.id = u.learner_id
                  join license_assignment a on a.id = u.assignment_id
                 where l.org_id = ?
                 order by 1
                """, String.class, orgId);
    }
}
