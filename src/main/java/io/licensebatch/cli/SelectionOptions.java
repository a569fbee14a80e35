package io.licensebatch.cli;

import io.licensebatch.request.SelectionSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * Which learners a reassign or revoke is for: by name, from an upload, or by filters (combined with AND)
 * minus exclusions.
 */
class SelectionOptions {

    @Option(names = "--learner", paramLabel = "ID|EMAIL|EXTERNAL_ID",
            description = "Exactly these learners (ids, emails or external ids), e.g. --learner 42,ana@acme.example,HR-1001")
    List<String> learners = new ArrayList<>();

    @Option(names = "--csv", paramLabel = "FILE",
            description = "An upload: UTF-8 CSV with a header naming email, learner_id or external_id, and"
                    + " optionally license_type (a type or REVOKE) and reason")
    String csv;

    @Option(names = "--ignore-columns", paramLabel = "COLUMN",
            description = "With --csv: columns of the header to ignore (an HR export's extra columns), or '*' for"
                    + " every column license-batch does not know")
    List<String> ignoredColumns = new ArrayList<>();

    @Option(names = "--license-type", paramLabel = "TYPE",
            description = "Learners whose current license is one of these types (NONE: no license)")
    List<String> licenseTypes = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Learners with one of these statuses: ACTIVE, PENDING, DEACTIVATED")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "Members of one of these groups")
    List<String> groups = new ArrayList<>();

    @Option(names = "--department", paramLabel = "DEPARTMENT",
            description = "Learners in one of these departments (case-insensitive)")
    List<String> departments = new ArrayList<>();

    @Option(names = "--location", paramLabel = "LOCATION",
            description = "Learners at one of these locations (case-insensitive)")
    List<String> locations = new ArrayList<>();

    @Option(names = "--inactive-since", paramLabel = "DATE",
            description = "Learners not active since DATE (yyyy-mm-dd), or never")
    String inactiveSince;

    @Option(names = "--search", paramLabel = "TEXT", description = "Learners whose name or email contains TEXT")
    String search;

    @Option(names = "--exclude", paramLabel = "ID|EMAIL|EXTERNAL_ID",
            description = "Un-check these learners from a filtered selection")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--same-file-again", description = "With --csv: upload a file whose content an earlier run in"
            + " the org uploaded already (refused without it: a file sent twice is more often a mistake)")
    boolean uploadAgain;

    List<String> ignoredColumns() {
        return values(ignoredColumns).stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    SelectionSpec spec() {
        return new SelectionSpec(values(learners), csv, values(licenseTypes), values(statuses), values(groups),
                values(departments), values(locations), inactiveSince, search, values(excludes));
    }

    /**
     * The values of a list option, split at commas, empty ones kept: {@code --department "$D1,$D2"} with both
     * variables unset is two empty values, which are refused, not no department (picocli's own split dropped them,
     * and with them the filter: the whole org was selected).
     */
    private static List<String> values(List<String> given) {
        List<String> values = new ArrayList<>();
        for (String value : given) {
            values.addAll(java.util.Arrays.asList(value.split(",", -1)));
        }
        return values;
    }
}
