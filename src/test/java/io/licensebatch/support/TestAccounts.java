package io.licensebatch.support;

import io.licensebatch.db.Sql;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates test data through the platform tables, keeping the pools consistent (seats used follow the
 * current assignments), so that every test can check the invariants afterwards.
 */
public final class TestAccounts {

    public static final String PRO = "LEARNING_PRO";
    public static final String HUB = "LEARNING_HUB";
    public static final String ESSENTIALS = "LEARNING_ESSENTIALS";
    public static final String CLASSIC = "LEARNING_CLASSIC";

    private static final AtomicInteger ORGS = new AtomicInteger();

    private final JdbcTemplate jdbc;

    public TestAccounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        type(PRO, false);
        type(HUB, false);
        type(ESSENTIALS, false);
        type(CLASSIC, true);
    }

    public void type(String code, boolean retired) {
        jdbc.update("insert into license_type (code, name, retired) select ?, ?, ? where not exists"
                + " (select 1 from license_type where code = ?)", code, code + " (test)", retired, code);
    }

    /** A new organization with a unique name starting with {@code name}. */
    public Account account(String name) {
        String unique = name + " " + ORGS.incrementAndGet();
        return new Account(insert("insert into organization (name) values (?)", unique), unique);
    }

    public final class Account {
        public final long id;
        public final String name;

        Account(long id, String name) {
            this.id = id;
            this.name = name;
        }

        public Account pool(String licenseType, int seatsTotal) {
            jdbc.update("insert into license_pool (org_id, license_type, seats_total, seats_used) values (?, ?, ?, 0)",
                    id, licenseType, seatsTotal);
            return this;
        }

        /** Creates the learner, their license history and usage; returns the learner id. */
        public long learner(LearnerSpec spec) {
            long learnerId = insert("""
                    insert into learner (org_id, email, external_id, display_name, status, department, location,
                                         last_active_at) values (?, ?, ?, ?, ?, ?, ?, ?)
                    """, id, spec.email, spec.externalId, spec.displayName, spec.status.name(), spec.department,
                    spec.location, spec.lastActiveAt == null ? null : Timestamp.valueOf(spec.lastActiveAt));
            for (String group : spec.groups) {
                jdbc.update("insert into learner_group (learner_id, group_name) values (?, ?)", learnerId, group);
            }
            LocalDateTime start = LocalDateTime.of(2025, 1, 6, 9, 0);
            for (String prior : spec.priorLicenses) {
                LocalDateTime end = start.plusDays(60);
                long assignment = insert("""
                        insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by,
                                                        ended_at, end_reason, ended_by)
                        values (?, ?, ?, ?, 'test', ?, 'REASSIGNED', 'test')
                        """, learnerId, id, prior, Timestamp.valueOf(start), Timestamp.valueOf(end));
                usage(learnerId, assignment, start, spec.activitiesPerAssignment);
                start = end;
            }
            if (spec.license != null) {
                long assignment = insert("""
                        insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
                        values (?, ?, ?, ?, 'test')
                        """, learnerId, id, spec.license, Timestamp.valueOf(start));
                usage(learnerId, assignment, start, spec.activitiesPerAssignment);
                int updated = jdbc.update("update license_pool set seats_used = seats_used + 1"
                        + " where org_id = ? and license_type = ?", id, spec.license);
                if (updated != 1) {
                    throw new IllegalStateException(name + " has no pool of " + spec.license + ": add it first");
                }
            }
            return learnerId;
        }

        private void usage(long learnerId, long assignmentId, LocalDateTime from, int count) {
            for (int i = 0; i < count; i++) {
                jdbc.update("""
                        insert into learning_activity (learner_id, assignment_id, content_id, seconds_viewed, occurred_at)
                        values (?, ?, ?, ?, ?)
                        """, learnerId, assignmentId, "course:test-" + i, 300 + i, Timestamp.valueOf(from.plusDays(i + 1)));
            }
        }
    }

    private long insert(String sql, Object... parameters) {
        return Sql.insertReturningId(jdbc, sql, parameters);
    }
}
