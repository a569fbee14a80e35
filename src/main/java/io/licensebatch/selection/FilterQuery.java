package io.licensebatch.selection;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link LearnerFilter} into the WHERE clause of a selection over {@code learner l} left-joined to
 * its current assignment {@code a}. Every value is a bind parameter: no filter text ever becomes SQL.
 * License type codes arrive canonical (the command line matched them against {@code license_type}).
 */
final class FilterQuery {

    private final List<String> conditions = new ArrayList<>();
    private final MapSqlParameterSource parameters;

    private FilterQuery(MapSqlParameterSource parameters) {
        this.parameters = parameters;
    }

    static FilterQuery of(LearnerFilter filter, MapSqlParameterSource parameters) {
        FilterQuery query = new FilterQuery(parameters);
        query.licenseTypes(filter.licenseTypes());
        if (!filter.statuses().isEmpty()) {
            query.add("l.status in (:statuses)", "statuses",
                    filter.statuses().stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList());
        }
        if (!filter.groups().isEmpty()) {
            query.add("exists (select 1 from learner_group g where g.learner_id = l.id"
                    + " and lower(g.group_name) in (:groups))", "groups", LearnerFilter.lowerCase(filter.groups()));
        }
        if (!filter.departments().isEmpty()) {
            query.add("lower(l.department) in (:departments)", "departments",
                    LearnerFilter.lowerCase(filter.departments()));
        }
        if (!filter.locations().isEmpty()) {
            query.add("lower(l.location) in (:locations)", "locations", LearnerFilter.lowerCase(filter.locations()));
        }
        if (filter.inactiveSince() != null) {
            query.add("(l.last_active_at is null or l.last_active_at < :inactiveSince)", "inactiveSince",
                    Timestamp.valueOf(filter.inactiveSince().atStartOfDay()));
        }
        if (filter.search() != null && !filter.search().isBlank()) {
            query.add("(lower(l.display_name) like :search escape '\\' or lower(l.email) like :search escape '\\')",
                    "search", "%" + escapeLike(filter.search().trim().toLowerCase(Locale.ROOT)) + "%");
        }
        if (!filter.excludedLearnerIds().isEmpty()) {
            query.add("l.id not in (:excluded)", "excluded", filter.excludedLearnerIds());
        }
        return query;
    }

    /** The conditions joined with AND, each starting with " and ", or "" when there are none. */
    String andConditions() {
        StringBuilder sql = new StringBuilder();
        for (String condition : conditions) {
            sql.append("\n   and ").append(condition);
        }
        return sql.toString();
    }

    private void licenseTypes(List<String> requested) {
        if (requested.isEmpty()) {
            return;
        }
        List<String> types = new ArrayList<>();
        boolean none = false;
        for (String type : requested) {
            String code = type.trim();
            if (code.equalsIgnoreCase(LearnerFilter.NO_LICENSE)) {
                none = true;
            } else {
                types.add(code);
            }
        }
        List<String> alternatives = new ArrayList<>();
        if (!types.isEmpty()) {
            alternatives.add("a.license_type in (:licenseTypes)");
            parameters.addValue("licenseTypes", types);
        }
        if (none) {
            alternatives.add("a.id is null");
        }
        conditions.add("(" + String.join(" or ", alternatives) + ")");
    }

    private void add(String condition, String name, Object value) {
        conditions.add(condition);
        parameters.addValue(name, value);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
