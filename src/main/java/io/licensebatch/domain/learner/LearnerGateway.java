package io.licensebatch.domain.learner;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Looks learners up by the identifiers operators use: an id, or an email (case-insensitive). */
@Repository
public class LearnerGateway {

    private static final String BY_ID = """
            select id, org_id, email, display_name from learner where id = ?
            """;

    /** The org's own learner first: an email is unique per org, not across orgs. */
    private static final String BY_EMAIL = """
            select id, org_id, email, display_name from learner
             where lower(email) = lower(?)
             order by case when org_id = ? then 0 else 1 end, id
             limit 1
            """;

    private static final String MATCHES = """
            select %s as matched, l.id, l.org_id, a.id as current_assignment_id
              from learner l
              left join license_assignment a on a.learner_id = l.id and a.ended_at is null
             where %s = any(?)
             order by case when l.org_id = ? then 0 else 1 end, l.id
            """;

    private static final RowMapper<LearnerRef> LEARNER = (rs, row) -> new LearnerRef(rs.getLong("id"),
            rs.getLong("org_id"), rs.getString("email"), rs.getString("display_name"));

    private final JdbcTemplate jdbc;

    public LearnerGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A learner found for an identifier: in which org, and their current assignment (null: none). */
    public record Match(long learnerId, long orgId, Long currentAssignmentId) {
    }

    /**
     * Finds the learners a batch of identifiers names, in one query: by {@code learner_id}, {@code external_id}
     * or {@code email} (ignoring case; keys come back lower-case). Emails and external ids are unique per org
     * only: the org's own learner wins, else another org's (so the caller can say LEARNER_IN_OTHER_ORG).
     */
    public Map<String, Match> match(String column, Collection<String> identifiers, long preferredOrgId) {
        Map<String, Match> matches = new HashMap<>();
        if (identifiers.isEmpty()) {
            return matches;
        }
        String key;
        Object values;
        switch (column) {
            case "learner_id" -> {
                key = "cast(l.id as varchar(20))";
                values = SqlArray.bigints(identifiers.stream().map(Long::valueOf).toList());
            }
            case "external_id" -> {
                key = "l.external_id";
                values = SqlArray.texts(identifiers);
            }
            case "email" -> {
                key = "lower(l.email)";
                values = SqlArray.texts(identifiers.stream().map(email -> email.toLowerCase(Locale.ROOT)).toList());
            }
            default -> throw new IllegalArgumentException("not an identifier column: " + column);
        }
        String where = column.equals("learner_id") ? "l.id" : key;
        Sql.query(jdbc, MATCHES.formatted(key, where), (rs, row) -> matches.putIfAbsent(rs.getString("matched"),
                new Match(rs.getLong("id"), rs.getLong("org_id"), rs.getObject("current_assignment_id", Long.class))),
                values, preferredOrgId);
        return matches;
    }

    /**
     * The learner an operator named: a number is a learner id, anything else an email. The org's own
     * learner wins; a learner of another org is returned too, so the caller can say so.
     */
    public Optional<LearnerRef> find(String idOrEmail, long preferredOrgId) {
        String text = idOrEmail.trim();
        if (text.matches("\\d{1,18}")) {
            return jdbc.query(BY_ID, LEARNER, Long.parseLong(text)).stream().findFirst();
        }
        return jdbc.query(BY_EMAIL, LEARNER, text, preferredOrgId).stream().findFirst();
    }
}
