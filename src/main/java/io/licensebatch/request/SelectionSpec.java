package io.licensebatch.request;

import java.util.List;

/**
 * The selection options as the operator gave them (command line or jobs/ spec), before validation.
 *
 * @param learners ids or emails: exactly these learners
 * @param csvFile  an upload
 * @param excludes ids or emails to un-check from a filtered selection
 */
public record SelectionSpec(List<String> learners, String csvFile, List<String> licenseTypes, List<String> statuses,
        List<String> groups, List<String> departments, List<String> locations, String inactiveSince, String search,
        List<String> excludes) {

    public boolean hasFilters() {
        return !licenseTypes.isEmpty() || !statuses.isEmpty() || !groups.isEmpty() || !departments.isEmpty()
                || !locations.isEmpty() || inactiveSince != null || (search != null && !search.isBlank());
    }
}
