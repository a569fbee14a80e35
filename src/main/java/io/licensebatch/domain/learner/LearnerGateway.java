package io.licensebatch.domain.learner;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

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

    private static final RowMapper<LearnerRef> LEARNER = (rs, row) -> new LearnerRef(rs.getLong("id"),
            rs.getLong("org_id"), rs.getString("email"), rs.getString("display_name"));

    private final JdbcTemplate jdbc;

    public LearnerGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
