package io.licensebatch.selection;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The filters of a selection, combined with AND; several values of one filter are alternatives (OR).
 * Text filters (group, department, location, search) ignore case. A license type of {@value #NO_LICENSE}
 * matches learners with no current license.
 *
 * @param excludedLearnerIds the learners the operator un-checked
 */
public record LearnerFilter(List<String> licenseTypes, List<String> statuses, List<String> groups,
        List<String> departments, List<String> locations, LocalDate inactiveSince, String search,
        List<Long> excludedLearnerIds) {

    public static final String NO_LICENSE = "NONE";

    /** Option names, as on the command line and in {@code change_request_option}. */
    public static final String LICENSE_TYPE = "license-type";
    public static final String STATUS = "status";
    public static final String GROUP = "group";
    public static final String DEPARTMENT = "department";
    public static final String LOCATION = "location";
    public static final String INACTIVE_SINCE = "inactive-since";
    public static final String SEARCH = "search";
    public static final String EXCLUDE_ID = "exclude-id";
    /** Not a filter: the learners a request names, stored beside the filters' values. */
    public static final String LEARNER = "learner";

    /** True when no filter narrows the selection (exclusions alone do not). */
    public boolean isEmpty() {
        return licenseTypes.isEmpty() && statuses.isEmpty() && groups.isEmpty() && departments.isEmpty()
                && locations.isEmpty() && inactiveSince == null && (search == null || search.isBlank());
    }

    /** The filters in words, for the request's description and the summary. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        add(parts, LICENSE_TYPE, licenseTypes);
        add(parts, STATUS, statuses);
        add(parts, GROUP, groups);
        add(parts, DEPARTMENT, departments);
        add(parts, LOCATION, locations);
        if (inactiveSince != null) {
            parts.add(INACTIVE_SINCE + "=" + inactiveSince);
        }
        if (search != null && !search.isBlank()) {
            parts.add(SEARCH + "=\"" + search + "\"");
        }
        if (!excludedLearnerIds.isEmpty()) {
            parts.add("excluding " + excludedLearnerIds.size() + " learner(s)");
        }
        return String.join(", ", parts);
    }

    static List<String> lowerCase(List<String> values) {
        return values.stream().map(value -> value.trim().toLowerCase(Locale.ROOT)).toList();
    }

    private static void add(List<String> parts, String name, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(name + "=" + String.join("|", values));
        }
    }
}
