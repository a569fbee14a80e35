package io.licensebatch.support;

import io.licensebatch.domain.learner.LearnerStatus;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** A learner to create in a test, with a fluent builder: {@code aLearner().onLicense(PRO).inGroup("Sales")}. */
public final class LearnerSpec {

    private static int counter;

    String email;
    String externalId;
    String displayName;
    LearnerStatus status = LearnerStatus.ACTIVE;
    String department;
    String location;
    LocalDateTime lastActiveAt = LocalDateTime.of(2026, 11, 1, 10, 0);
    final List<String> groups = new ArrayList<>();
    final List<String> priorLicenses = new ArrayList<>();
    String license;
    int activitiesPerAssignment = 2;

    private LearnerSpec() {
        int n = ++counter;
        email = "learner" + n + "@test.example";
        displayName = "Learner " + n;
    }

    public static LearnerSpec aLearner() {
        return new LearnerSpec();
    }

    public LearnerSpec email(String email) {
        this.email = email;
        return this;
    }

    public LearnerSpec externalId(String externalId) {
        this.externalId = externalId;
        return this;
    }

    public LearnerSpec named(String displayName) {
        this.displayName = displayName;
        return this;
    }

    public LearnerSpec status(LearnerStatus status) {
        this.status = status;
        return this;
    }

    public LearnerSpec department(String department) {
        this.department = department;
        return this;
    }

    public LearnerSpec location(String location) {
        this.location = location;
        return this;
    }

    public LearnerSpec lastActive(LocalDateTime lastActiveAt) {
        this.lastActiveAt = lastActiveAt;
        return this;
    }

    public LearnerSpec inGroup(String group) {
        groups.add(group);
        return this;
    }

    /** The current license; usage rows are recorded under it. */
    public LearnerSpec onLicense(String licenseType) {
        this.license = licenseType;
        return this;
    }

    /** An earlier license that ended (REASSIGNED) before the current one started, with its own usage. */
    public LearnerSpec previously(String licenseType) {
        priorLicenses.add(licenseType);
        return this;
    }

    public LearnerSpec activitiesPerAssignment(int count) {
        this.activitiesPerAssignment = count;
        return this;
    }
}
