package io.licensebatch.support;

import io.licensebatch.request.SelectionSpec;

import java.util.ArrayList;
import java.util.List;

/** Builds the selection options of a test run: {@code Select.where().licenseType(PRO).status("ACTIVE")}. */
public final class Select {

    private final List<String> learners = new ArrayList<>();
    private final List<String> licenseTypes = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private final List<String> departments = new ArrayList<>();
    private final List<String> locations = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private String inactiveSince;
    private String search;

    private Select() {
    }

    public static Select where() {
        return new Select();
    }

    public static Select learners(Object... idsOrEmails) {
        Select select = new Select();
        for (Object learner : idsOrEmails) {
            select.learners.add(String.valueOf(learner));
        }
        return select;
    }

    public Select licenseType(String... types) {
        licenseTypes.addAll(List.of(types));
        return this;
    }

    public Select status(String... values) {
        statuses.addAll(List.of(values));
        return this;
    }

    public Select group(String... values) {
        groups.addAll(List.of(values));
        return this;
    }

    public Select department(String... values) {
        departments.addAll(List.of(values));
        return this;
    }

    public Select location(String... values) {
        locations.addAll(List.of(values));
        return this;
    }

    public Select inactiveSince(String date) {
        inactiveSince = date;
        return this;
    }

    public Select search(String text) {
        search = text;
        return this;
    }

    public Select exclude(Object... idsOrEmails) {
        for (Object learner : idsOrEmails) {
            excludes.add(String.valueOf(learner));
        }
        return this;
    }

    public SelectionSpec spec() {
        return new SelectionSpec(learners, null, licenseTypes, statuses, groups, departments, locations, inactiveSince,
                search, excludes);
    }
}
