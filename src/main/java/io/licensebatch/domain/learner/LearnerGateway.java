package io.licensebatch.domain.learner;

import io.licensebatch.db.DatabaseDialect;
import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import io.licensebatch.domain.rules.LearnerProfile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /**
     * H2 has no index on an expression: its generated email_lower column carries learner_email_any_org (with
     * {@code lower(email)} every name read the whole learner table: ScansOnH2Test).
     */
    public static final String BY_EMAIL_H2 = BY_EMAIL.replace("where lower(email) = lower(?)",
            "where email_lower = lower(?)");

    /** An external id (an HR system's key) is unique per org; the org's own learner first. */
    private static final String BY_EXTERNAL_ID = """
            select id, org_id, email, display_name from learner
             where external_id = ?
             order by case when org_id = ? then 0 else 1 end, id
             limit 1
            """;

    /**
     * A page of an org's learners. Ordered by the index's columns from its first one, so that H2 too walks the
     * index and stops at the limit instead of reading and sorting the rest of the org (ScansOnH2Test).
     */
    public static final String PROFILES = """
            select l.org_id, l.id, l.status, l.department, l.location, l.last_active_at,
                   a.id as current_assignment_id, a.license_type as current_type
              from learner l
              left join license_assignment a on a.learner_id = l.id and a.ended_at is null
             where l.org_id = ? and l.id > ?
             order by l.org_id, l.id
             limit ?
            """;

    /**
     * Every learner of several (small) orgs, by org then id, with their current assignment: the nightly selection
     * reads a platform of small orgs a few thousand learners at a time instead of an org at a time. Each org's
     * learners and each learner's assignment are index lookups whatever the planner believes (a lateral join),
     * not a hash join over every learner or assignment of the platform.
     */
    private static final String PROFILES_OF_ORGS_POSTGRESQL = """
            select l.org_id, l.id, l.status, l.department, l.location, l.last_active_at,
                   a.id as current_assignment_id, a.license_type as current_type
              from unnest(?) as o (id)
             cross join lateral (select * from learner l where l.org_id = o.id) l
              left join lateral (select a.id, a.license_type from license_assignment a
                                  where a.learner_id = l.id and a.ended_at is null limit 1) a on true
             order by l.org_id, l.id
            """;

    /**
     * H2 uses learner_org for the listed orgs only with {@code org_id = any(?)}: joined to the array, it walked
     * every learner of the platform for each batch of orgs (ScansOnH2Test).
     */
    public static final String PROFILES_OF_ORGS_H2 = """
            select l.org_id, l.id, l.status, l.department, l.location, l.last_active_at,
                   a.id as current_assignment_id, a.license_type as current_type
              from learner l
              left join license_assignment a on a.learner_id = l.id and a.ended_at is null
             where l.org_id = any(?)
             order by l.org_id, l.id
            """;

    private static final String GROUPS = """
            select learner_id, group_name from learner_group where learner_id = any(?)
            """;

    /** A learner attribute a filter matches on, and the distinct values an org's learners have of it. */
    public enum Attribute {
        DEPARTMENT("department", """
                select distinct department from learner where org_id = ? and department is not null order by 1
                """),
        LOCATION("location", """
                select distinct location from learner where org_id = ? and location is not null order by 1
                """),
        GROUP("group", """
                select distinct g.group_name from learner_group g join learner l on l.id = g.learner_id
                 where l.org_id = ? order by 1
                """);

        private final String noun;
        private final String sql;

        Attribute(String noun, String sql) {
            this.noun = noun;
            this.sql = sql;
        }

        public String noun() {
            return noun;
        }
    }

    private static final RowMapper<LearnerRef> LEARNER = (rs, row) -> new LearnerRef(rs.getLong("id"),
            rs.getLong("org_id"), rs.getString("email"), rs.getString("display_name"));

    private final JdbcTemplate jdbc;
    private final DatabaseDialect dialect;

    public LearnerGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = DatabaseDialect.of(jdbc);
    }

    /** A learner as rules see them, with their current license. */
    public record Profiled(long learnerId, LearnerProfile profile, Long currentAssignmentId, String currentType) {
    }

    /** Up to {@code limit} learners of the org after {@code afterId}, in id order, with their groups. */
    public List<Profiled> profiles(long orgId, long afterId, int limit) {
        return withGroups(jdbc.query(PROFILES, PROFILE_ROW, orgId, afterId, limit)).getOrDefault(orgId, List.of());
    }

    /**
     * Every learner of the orgs, per org (in the order of {@code orgIds}; an org without learners has an empty
     * list), each org's in id order, with their groups: for orgs small enough to be read together.
     */
    public Map<Long, List<Profiled>> profilesOfOrgs(List<Long> orgIds) {
        String sql = dialect == DatabaseDialect.H2 ? PROFILES_OF_ORGS_H2 : PROFILES_OF_ORGS_POSTGRESQL;
        Map<Long, List<Profiled>> byOrg = withGroups(Sql.query(jdbc, sql, PROFILE_ROW, SqlArray.bigints(orgIds)));
        Map<Long, List<Profiled>> inOrder = new LinkedHashMap<>();
        orgIds.forEach(orgId -> inOrder.put(orgId, byOrg.getOrDefault(orgId, List.of())));
        return inOrder;
    }

    /** The rows' learners per org, in the rows' order, each with their groups (one query for all of them). */
    private Map<Long, List<Profiled>> withGroups(List<ProfileRow> rows) {
        Map<Long, Set<String>> groups = new HashMap<>();
        if (!rows.isEmpty()) {
            Sql.query(jdbc, GROUPS, (rs, row) -> groups.computeIfAbsent(rs.getLong("learner_id"), id -> new HashSet<>())
                    .add(rs.getString("group_name").strip().toLowerCase(Locale.ROOT)),
                    SqlArray.bigints(rows.stream().map(ProfileRow::id).toList()));
        }
        Map<Long, List<Profiled>> byOrg = new LinkedHashMap<>();
        for (ProfileRow row : rows) {
            byOrg.computeIfAbsent(row.orgId(), org -> new ArrayList<>()).add(new Profiled(row.id(), new LearnerProfile(
                    row.status(), row.department(), row.location(), groups.getOrDefault(row.id(), Set.of()),
                    row.lastActiveAt()), row.assignmentId(), row.licenseType()));
        }
        return byOrg;
    }

    private static final RowMapper<ProfileRow> PROFILE_ROW = (rs, row) -> new ProfileRow(rs.getLong("org_id"),
            rs.getLong("id"), LearnerStatus.valueOf(rs.getString("status")), rs.getString("department"),
            rs.getString("location"), rs.getObject("last_active_at", LocalDateTime.class),
            rs.getObject("current_assignment_id", Long.class), rs.getString("current_type"));

    private record ProfileRow(long orgId, long id, LearnerStatus status, String department, String location,
            LocalDateTime lastActiveAt, Long assignmentId, String licenseType) {
    }

    /** How many learners each of the orgs has (orgs without learners are left out). */
    public Map<Long, Long> countInOrgs(java.util.Collection<Long> orgIds) {
        Map<Long, Long> counts = new HashMap<>();
        // A join, not "org_id = any(?)": with thousands of orgs, = any compares each learner with the whole array.
        Sql.query(jdbc, "select l.org_id, count(*) as n from learner l join unnest(?) as o (id) on l.org_id = o.id"
                        + " group by l.org_id",
                (rs, row) -> counts.put(rs.getLong("org_id"), rs.getLong("n")), SqlArray.bigints(orgIds));
        return counts;
    }

    public long countInOrg(long orgId) {
        Long n = jdbc.queryForObject("select count(*) from learner where org_id = ?", Long.class, orgId);
        return n == null ? 0 : n;
    }

    /** The distinct values of an attribute among an org's learners, sorted. */
    public List<String> values(long orgId, Attribute attribute) {
        return jdbc.queryForList(attribute.sql, String.class, orgId);
    }

    /**
     * A name that names two learners of the org: a number one's learner id and another's external id (HR systems'
     * keys are often numbers), or an email one's email and another's external id. {@link #find} takes the id or the
     * email; an operator who meant the other would change the wrong learner, or leave the one they meant to
     * un-check in the run. Empty when the name names one learner at most. The first of the two is the one
     * {@link #find} takes.
     */
    public Optional<List<LearnerRef>> bothIdAndExternalId(String name, long orgId) {
        String text = name.trim();
        Optional<LearnerRef> byId;
        if (text.matches("\\d{1,18}")) {
            byId = jdbc.query(BY_ID, LEARNER, Long.parseLong(text)).stream()
                    .filter(learner -> learner.orgId() == orgId).findFirst();
        } else if (text.contains("@")) {
            // Single sign-on systems key learners by email: one learner's email can be another's external id.
            byId = jdbc.query(dialect == DatabaseDialect.H2 ? BY_EMAIL_H2 : BY_EMAIL, LEARNER, text, orgId).stream()
                    .filter(learner -> learner.orgId() == orgId).findFirst();
        } else {
            return Optional.empty();
        }
        Optional<LearnerRef> byExternalId = jdbc.query(BY_EXTERNAL_ID, LEARNER, text, orgId).stream()
                .filter(learner -> learner.orgId() == orgId).findFirst();
        return byId.isPresent() && byExternalId.isPresent() && byId.get().id() != byExternalId.get().id()
                ? Optional.of(List.of(byId.get(), byExternalId.get())) : Optional.empty();
    }

    /**
     * The learner an operator named, as an upload names them: a number is a learner id, text with an {@code @} an
     * email, anything else an external id (a number is also tried as an external id when no learner of the org has
     * it as id). The org's own learner wins; a learner of another org is returned too, so the caller can say so.
     */
    public Optional<LearnerRef> find(String name, long preferredOrgId) {
        String text = name.trim();
        if (text.contains("@")) {
            return jdbc.query(dialect == DatabaseDialect.H2 ? BY_EMAIL_H2 : BY_EMAIL, LEARNER, text, preferredOrgId)
                    .stream().findFirst();
        }
        Optional<LearnerRef> byExternalId = jdbc.query(BY_EXTERNAL_ID, LEARNER, text, preferredOrgId).stream()
                .findFirst();
        if (!text.matches("\\d{1,18}")) {
            return byExternalId;
        }
        Optional<LearnerRef> byId = jdbc.query(BY_ID, LEARNER, Long.parseLong(text)).stream().findFirst();
        if (byId.isPresent() && byId.get().orgId() == preferredOrgId) {
            return byId;
        }
        if (byExternalId.isPresent() && byExternalId.get().orgId() == preferredOrgId) {
            return byExternalId;
        }
        return byId.or(() -> byExternalId);
    }
}
