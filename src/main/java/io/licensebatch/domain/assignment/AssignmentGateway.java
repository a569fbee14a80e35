package io.licensebatch.domain.assignment;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code license_assignment} table. Assignments are never deleted and only ever ended: the history
 * is what keeps prior usage attributable to the license type it happened under.
 */
@Repository
public class AssignmentGateway {

    private static final String END = """
            update license_assignment
               set ended_at = ?, end_reason = ?, ended_by = ?
             where id = any(?) and ended_at is null
            """;

    private static final String START = """
            insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
            select d.learner_id, d.org_id, d.license_type, ?, ?
              from unnest(?, ?, ?) as d (learner_id, org_id, license_type)
            """;

    private static final String START_UNLESS_LICENSED = START + " on conflict do nothing";

    private static final String CURRENT = """
            select learner_id, id, license_type from license_assignment where learner_id = any(?) and ended_at is null
            """;

    private final JdbcTemplate jdbc;
    private final DatabaseDialect dialect;

    public AssignmentGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = DatabaseDialect.of(jdbc);
    }

    /** A learner's current assignment. */
    public record Current(long id, String licenseType) {
    }

    /** The current assignment of each of the learners that has one, by learner id. */
    public Map<Long, Current> current(Collection<Long> learnerIds) {
        Map<Long, Current> current = new HashMap<>();
        if (!learnerIds.isEmpty()) {
            Sql.query(jdbc, CURRENT, (rs, row) -> current.put(rs.getLong("learner_id"),
                    new Current(rs.getLong("id"), rs.getString("license_type"))), SqlArray.bigints(learnerIds));
        }
        return current;
    }

    /**
     * Ends the given assignments where they are still current, and returns the ids it ended. An id that is
     * not returned was ended (or replaced) by someone else in the meantime.
     */
    public Set<Long> end(Collection<Long> assignmentIds, EndReason reason, String endedBy, Timestamp at) {
        if (assignmentIds.isEmpty()) {
            return Set.of();
        }
        String sql = dialect.returning(END, "id");
        return new HashSet<>(Sql.query(jdbc, sql, (rs, row) -> rs.getLong("id"),
                at, reason.name(), endedBy, SqlArray.bigints(assignmentIds)));
    }

    /**
     * Starts the given assignments and returns the new assignment id per learner. A learner who got a
     * current assignment from someone else in the meantime is left out (the one-current-assignment index
     * refuses the second), so a race never ends in a double assignment.
     *
     * @param anyUnlicensed whether some of the learners had no license: only they can race with someone
     *                      else's insert (the others' old assignments were just ended by this transaction,
     *                      which holds them), so only then is the slower conflict-tolerant insert used
     */
    public Map<Long, Long> start(List<NewAssignment> assignments, boolean anyUnlicensed, String assignedBy,
            Timestamp at) {
        if (assignments.isEmpty()) {
            return Map.of();
        }
        List<Long> learners = new ArrayList<>(assignments.size());
        List<Long> orgs = new ArrayList<>(assignments.size());
        List<String> types = new ArrayList<>(assignments.size());
        for (NewAssignment assignment : assignments) {
            learners.add(assignment.learnerId());
            orgs.add(assignment.orgId());
            types.add(assignment.licenseType());
        }
        Map<Long, Long> idByLearner = new HashMap<>();
        jdbc.query(connection -> SqlArray.bind(connection,
                        connection.prepareStatement(dialect.returning(anyUnlicensed ? START_UNLESS_LICENSED : START,
                                "id, learner_id")),
                        at, assignedBy, SqlArray.bigints(learners), SqlArray.bigints(orgs), SqlArray.texts(types)),
                rs -> {
                    idByLearner.put(rs.getLong("learner_id"), rs.getLong("id"));
                });
        return idByLearner;
    }
}
