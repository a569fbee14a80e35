package io.licensebatch.domain.usage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

import java.time.LocalDateTime;
import java.util.List;

/**
 * Usage as reports see it: every learning activity counted under the assignment (and so the license type)
 * it happened under, current and ended assignments alike. This is what shows that prior usage survives a
 * reassignment or a revoke.
 */
@Repository
public class UsageGateway {

    private static final String BY_ASSIGNMENT = """
            select a.id as assignment_id, a.license_type, a.assigned_at, a.ended_at, a.end_reason,
                   count(u.id) as activities, coalesce(sum(u.seconds_viewed), 0) as seconds_viewed,
                   max(u.occurred_at) as last_activity
              from license_assignment a
              left join learning_activity u on u.assignment_id = a.id
             where a.learner_id = ?
             group by a.id, a.license_type, a.assigned_at, a.ended_at, a.end_reason
             order by a.assigned_at, a.id
            """;

    private static final String BY_LEARNER_AND_TYPE = """
            select l.id as learner_id, l.email, a.license_type,
                   max(case when a.ended_at is null then 1 else 0 end) as current_type,
                   count(u.id) as activities, coalesce(sum(u.seconds_viewed), 0) as seconds_viewed
              from learner l
              join license_assignment a on a.learner_id = l.id
              left join learning_activity u on u.assignment_id = a.id
             where l.org_id = ?
             group by l.id, l.email, a.license_type
             order by l.id, a.license_type
            """;

    private static final String BY_TYPE = """
            select a.license_type, count(distinct u.learner_id) as learners, count(u.id) as activities,
                   coalesce(sum(u.seconds_viewed), 0) as seconds_viewed
              from license_assignment a
              join learning_activity u on u.assignment_id = a.id
             where a.org_id = ?
             group by a.license_type
             order by a.license_type
            """;

    private final JdbcTemplate jdbc;

    public UsageGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One learner's assignments, oldest first, each with the usage recorded under it. */
    public record AssignmentUsage(long assignmentId, String licenseType, LocalDateTime assignedAt,
            LocalDateTime endedAt, String endReason, long activities, long secondsViewed, LocalDateTime lastActivity) {
    }

    /** An org's usage per license type. */
    public record TypeUsage(String licenseType, long learners, long activities, long secondsViewed) {
    }

    public List<AssignmentUsage> byAssignment(long learnerId) {
        return jdbc.query(BY_ASSIGNMENT, (rs, row) -> new AssignmentUsage(rs.getLong("assignment_id"),
                rs.getString("license_type"), rs.getObject("assigned_at", LocalDateTime.class),
                rs.getObject("ended_at", LocalDateTime.class), rs.getString("end_reason"), rs.getLong("activities"),
                rs.getLong("seconds_viewed"), rs.getObject("last_activity", LocalDateTime.class)), learnerId);
    }

    public List<TypeUsage> byType(long orgId) {
        return jdbc.query(BY_TYPE, (rs, row) -> new TypeUsage(rs.getString("license_type"), rs.getLong("learners"),
                rs.getLong("activities"), rs.getLong("seconds_viewed")), orgId);
    }

    /** Streams an org's usage per learner and license type (columns as in {@link #BY_LEARNER_AND_TYPE}). */
    public void byLearnerAndType(long orgId, RowCallbackHandler handler) {
        jdbc.query(BY_LEARNER_AND_TYPE, handler, orgId);
    }
}
