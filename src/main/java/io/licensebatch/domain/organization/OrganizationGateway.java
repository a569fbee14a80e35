package io.licensebatch.domain.organization;

import io.licensebatch.db.Sql;
import io.licensebatch.db.SqlArray;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The {@code organization} table. */
@Repository
public class OrganizationGateway {

    private static final String SELECT_BY_ID = """
            select id, name from organization where id = ?
            """;

    private static final String SELECT_BY_NAME = """
            select id, name from organization where lower(name) = lower(?)
            """;

    private static final String SELECT_ALL = """
            select id, name from organization order by id
            """;

    private static final String SELECT_BY_IDS = """
            select id, name from organization where id = any(?) order by id
            """;

    private static final RowMapper<Organization> ORGANIZATION =
            (rs, row) -> new Organization(rs.getLong("id"), rs.getString("name"));

    private final JdbcTemplate jdbc;

    public OrganizationGateway(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to this many ids or names are looked up one by one (see {@link #finder}). */
    private static final int FEW = 20;

    /**
     * A lookup of many ids or names, answering as {@link #find} does: a platform's rules file names thousands of
     * orgs, and a lookup by name is a scan of every org (names match case-insensitively, which no index serves),
     * so one per name grows with orgs squared (20,000 orgs: minutes). Beyond a few names, every org is read once
     * and each name matched as the database lowers it.
     */
    public Function<String, Optional<Organization>> finder(Collection<String> idsOrNames) {
        if (idsOrNames.size() <= FEW) {
            return this::find;
        }
        Map<Long, Organization> byId = new HashMap<>();
        Map<String, Organization> byLowerName = new HashMap<>();
        jdbc.query("select id, name, lower(name) as lowered from organization order by id", rs -> {
            Organization org = new Organization(rs.getLong("id"), rs.getString("name"));
            byId.put(org.id(), org);
            byLowerName.putIfAbsent(rs.getString("lowered"), org);
        });
        Map<String, String> lowered = new HashMap<>();
        Sql.query(jdbc, "select x.text, lower(x.text) as lowered from unnest(?) as x (text)",
                (rs, row) -> lowered.put(rs.getString("text"), rs.getString("lowered")),
                SqlArray.texts(idsOrNames.stream().map(String::trim).distinct().toList()));
        return idOrName -> {
            String text = idOrName.trim();
            if (text.matches("\\d{1,18}") && byId.containsKey(Long.parseLong(text))) {
                return Optional.of(byId.get(Long.parseLong(text)));
            }
            return Optional.ofNullable(byLowerName.get(lowered.get(text)));
        };
    }

    /** Finds an organization by id, or by name (case-insensitively) when the text is not a number. */
    public Optional<Organization> find(String idOrName) {
        String text = idOrName.trim();
        if (text.matches("\\d{1,18}")) {
            Optional<Organization> byId = jdbc.query(SELECT_BY_ID, ORGANIZATION, Long.parseLong(text)).stream()
                    .findFirst();
            if (byId.isPresent()) {
                return byId;
            }
        }
        return jdbc.query(SELECT_BY_NAME, ORGANIZATION, text).stream().findFirst();
    }

    public Optional<Organization> findById(long id) {
        return jdbc.query(SELECT_BY_ID, ORGANIZATION, id).stream().findFirst();
    }

    /** The names of several orgs in one query (a platform-wide run's pools span thousands). */
    public Map<Long, String> namesOf(Collection<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            Sql.query(jdbc, SELECT_BY_IDS, ORGANIZATION, SqlArray.bigints(new HashSet<>(ids)))
                    .forEach(organization -> names.put(organization.id(), organization.name()));
        }
        return names;
    }

    public List<Organization> findAll() {
        return jdbc.query(SELECT_ALL, ORGANIZATION);
    }
}
