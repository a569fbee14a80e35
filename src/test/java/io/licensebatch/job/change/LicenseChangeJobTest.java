package io.licensebatch.job.change;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.support.AccountState;
import io.licensebatch.support.Invariants;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import java.time.LocalDateTime;
import java.util.List;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The reassign/revoke job on PostgreSQL: selection, decisions, the writer's effects, seats and usage. */
class LicenseChangeJobTest extends PostgresIntegrationTest {

    @Test
    void filtersAndExclusionsSelectExactlyTheMatchingLearners() {
        Account acme = accounts.account("Acme").pool(PRO, 50).pool(HUB, 50);
        long match = acme.learner(aLearner().onLicense(PRO).department("Sales").location("Berlin").inGroup("EMEA"));
        long matchToo = acme.learner(aLearner().onLicense(PRO).department("sales").location("berlin").inGroup("emea")
                .inGroup("Managers"));
        long excludedById = acme.learner(aLearner().onLicense(PRO).department("Sales").location("Berlin").inGroup("EMEA"));
        long excludedByEmail = acme.learner(aLearner().email("keep.me@acme.example").onLicense(PRO).department("Sales")
                .location("Berlin").inGroup("EMEA"));
        long otherType = acme.learner(aLearner().onLicense(HUB).department("Sales").location("Berlin").inGroup("EMEA"));
        long otherDepartment = acme.learner(aLearner().onLicense(PRO).department("Support").location("Berlin")
                .inGroup("EMEA"));
        long otherLocation = acme.learner(aLearner().onLicense(PRO).department("Sales").location("Austin")
                .inGroup("EMEA"));
        long noGroup = acme.learner(aLearner().onLicense(PRO).department("Sales").location("Berlin"));
        long pending = acme.learner(aLearner().status(LearnerStatus.PENDING).onLicense(PRO).department("Sales")
                .location("Berlin").inGroup("EMEA"));
        Account other = accounts.account("Other").pool(PRO, 5).pool(HUB, 5);
        long otherOrg = other.learner(aLearner().onLicense(PRO).department("Sales").location("Berlin").inGroup("EMEA"));

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO)
                .status("ACTIVE").department("Sales").location("Berlin").group("EMEA")
                .exclude(excludedById, "KEEP.ME@acme.example"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jobs.outcomesByLearner(execution)).containsOnlyKeys(match, matchToo);
        assertThat(List.of(excludedById, excludedByEmail, otherType, otherDepartment, otherLocation, noGroup, pending,
                otherOrg)).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isIn(PRO, HUB));
        assertThat(jobs.currentType(otherOrg)).isEqualTo(PRO);
    }

    @Test
    void inactiveSinceAndSearchFilterToo() {
        Account acme = accounts.account("Acme").pool(PRO, 50).pool(HUB, 50);
        long idle = acme.learner(aLearner().named("Ivo Idle").onLicense(PRO).lastActive(LocalDateTime.of(2025, 3, 1, 0, 0)));
        long never = acme.learner(aLearner().named("Nora Never").onLicense(PRO).lastActive(null));
        long busy = acme.learner(aLearner().named("Bea Busy").onLicense(PRO).lastActive(LocalDateTime.of(2026, 10, 1, 0, 0)));
        long idleWithEmail = acme.learner(aLearner().email("x_100%@acme.example").onLicense(PRO)
                .lastActive(LocalDateTime.of(2025, 3, 1, 0, 0)));
        long lookalike = acme.learner(aLearner().email("a1000z@acme.example").onLicense(PRO)
                .lastActive(LocalDateTime.of(2026, 10, 1, 0, 0)));

        JobExecution inactive = jobs.revoke(acme, Select.where().inactiveSince("2026-01-01"));
        assertThat(jobs.outcomesByLearner(inactive)).containsOnlyKeys(idle, never, idleWithEmail);
        assertThat(jobs.currentType(busy)).isEqualTo(PRO);

        JobExecution searched = jobs.reassign(acme, HUB, Select.where().search("bea"));
        assertThat(jobs.outcomesByLearner(searched)).containsOnly(entry(busy, "REASSIGNED"));

        JobExecution literal = jobs.reassign(acme, HUB, Select.where().search("_100%"));
        assertThat(jobs.outcomesByLearner(literal)).as("% and _ are literal text, not wildcards")
                .containsOnly(entry(idleWithEmail, "REASSIGNED"));
        assertThat(jobs.currentType(lookalike)).isEqualTo(PRO);
    }

    @Test
    void reassignEndsTheOldAssignmentStartsTheNewOneMovesSeatsAndKeepsUsage() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10);
        long ana = acme.learner(aLearner().onLicense(PRO).previously(ESSENTIALS).activitiesPerAssignment(3));
        long bo = acme.learner(aLearner().onLicense(PRO));
        long onHub = acme.learner(aLearner().onLicense(HUB));
        List<String> usageBefore = AccountState.usage(jdbc, acme.id);
        long activitiesBefore = count("select count(*) from learning_activity");

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO, HUB));

        assertThat(jobs.outcomesByLearner(execution)).containsOnly(entry(ana, "REASSIGNED"), entry(bo, "REASSIGNED"),
                entry(onHub, "UNCHANGED ALREADY_ON_TARGET"));
        assertThat(jobs.currentType(ana)).isEqualTo(HUB);
        assertThat(jobs.currentType(bo)).isEqualTo(HUB);
        String actor = "job-execution:" + execution.getId();
        assertThat(jdbc.queryForList("""
                select license_type || ' ' || coalesce(end_reason, 'current') || ' ' || coalesce(ended_by, assigned_by)
                  from license_assignment where learner_id = ? order by assigned_at, id
                """, String.class, ana)).containsExactly(ESSENTIALS + " REASSIGNED test", PRO + " REASSIGNED " + actor,
                HUB + " current " + actor);
        assertThat(count("select count(*) from license_assignment where learner_id = ? and ended_at is not null"
                + " and ended_at <> (select assigned_at from license_assignment where learner_id = ? and ended_at is null)"
                + " and end_reason = 'REASSIGNED' and ended_by <> 'test'", ana, ana))
                .as("the old assignment ends exactly when the new one starts: no gap").isZero();
        assertThat(seats(acme)).containsExactly(HUB + " 3 of 10", PRO + " 0 of 10");
        assertThat(AccountState.usage(jdbc, acme.id)).as("usage rows, under the type they happened on")
                .isEqualTo(usageBefore);
        assertThat(count("select count(*) from learning_activity")).isEqualTo(activitiesBefore);
        assertThat(jdbc.queryForList("""
                select a.license_type from learning_activity u join license_assignment a on a.id = u.assignment_id
                 where u.learner_id = ? group by a.license_type order by 1
                """, String.class, ana)).containsExactly(ESSENTIALS, PRO);
        Invariants.assertHold(invariants);
    }

    @Test
    void revokeEndsEveryCurrentLicenseAndFreesTheSeats() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10);
        long ana = acme.learner(aLearner().onLicense(PRO));
        long deactivated = acme.learner(aLearner().status(LearnerStatus.DEACTIVATED).onLicense(HUB));
        long unlicensed = acme.learner(aLearner());
        List<String> usageBefore = AccountState.usage(jdbc, acme.id);

        JobExecution execution = jobs.revoke(acme, Select.learners(ana, deactivated, unlicensed));

        assertThat(jobs.outcomesByLearner(execution)).containsOnly(entry(ana, "REVOKED"), entry(deactivated, "REVOKED"),
                entry(unlicensed, "UNCHANGED NO_LICENSE_TO_REVOKE"));
        assertThat(jobs.currentType(ana)).isNull();
        assertThat(jobs.currentType(deactivated)).isNull();
        assertThat(jdbc.queryForList("select end_reason from license_assignment where learner_id = ?", String.class, ana))
                .containsExactly("REVOKED");
        assertThat(seats(acme)).containsExactly(HUB + " 0 of 10", PRO + " 0 of 10");
        assertThat(AccountState.usage(jdbc, acme.id)).isEqualTo(usageBefore);
        Invariants.assertHold(invariants);
    }

    @Test
    void learnersBeyondTheFreeSeatsAreRejectedInSelectionOrder() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 3);
        acme.learner(aLearner().onLicense(HUB));
        long first = acme.learner(aLearner().onLicense(PRO));
        long second = acme.learner(aLearner().onLicense(PRO));
        long third = acme.learner(aLearner().onLicense(PRO));
        long fourth = acme.learner(aLearner().onLicense(PRO));

        JobExecution execution = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(jobs.outcomesByLearner(execution)).containsOnly(entry(first, "REASSIGNED"), entry(second, "REASSIGNED"),
                entry(third, "REJECTED NO_SEATS"), entry(fourth, "REJECTED NO_SEATS"));
        assertThat(seats(acme)).containsExactly(HUB + " 3 of 3", PRO + " 2 of 10");
        assertThat(jobs.currentType(third)).isEqualTo(PRO);
        Invariants.assertHold(invariants);
    }

    @Test
    void aFullTargetPoolRejectsEveryMoveIntoIt() {
        Account acme = accounts.account("Acme").pool(PRO, 2).pool(HUB, 2);
        long pro1 = acme.learner(aLearner().onLicense(PRO).department("Hub-bound"));
        long pro2 = acme.learner(aLearner().onLicense(PRO).department("Stays"));
        long hub1 = acme.learner(aLearner().onLicense(HUB).department("Pro-bound"));
        long hub2 = acme.learner(aLearner().onLicense(HUB).department("Stays"));

        JobExecution toPro = jobs.reassign(acme, PRO, Select.where().department("Pro-bound"));
        assertThat(jobs.outcomesByLearner(toPro)).containsOnly(entry(hub1, "REJECTED NO_SEATS"));

        JobExecution both = jobs.reassign(acme, HUB, Select.where().department("Hub-bound", "Stays"));
        assertThat(jobs.outcomesByLearner(both)).containsOnly(entry(pro1, "REJECTED NO_SEATS"),
                entry(pro2, "REJECTED NO_SEATS"), entry(hub2, "UNCHANGED ALREADY_ON_TARGET"));
        assertThat(seats(acme)).containsExactly(HUB + " 2 of 2", PRO + " 2 of 2");
        Invariants.assertHold(invariants);
    }

    @Test
    void aDryRunRecordsTheSameDecisionsAndChangesNothing() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 2);
        long first = acme.learner(aLearner().onLicense(PRO));
        long second = acme.learner(aLearner().onLicense(PRO));
        long third = acme.learner(aLearner().onLicense(PRO));
        long deactivated = acme.learner(aLearner().status(LearnerStatus.DEACTIVATED).onLicense(PRO));
        AccountState before = AccountState.of(jdbc, acme.id);
        String assignmentsBefore = dump("select * from license_assignment order by id");
        String poolsBefore = dump("select * from license_pool order by org_id, license_type");

        JobExecution dryRun = jobs.change(acme, Action.REASSIGN, HUB, Select.where().licenseType(PRO), true);

        assertThat(dryRun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jobs.outcomesByLearner(dryRun)).containsOnly(entry(first, "WOULD_REASSIGN"),
                entry(second, "WOULD_REASSIGN"), entry(third, "REJECTED NO_SEATS"),
                entry(deactivated, "REJECTED LEARNER_DEACTIVATED"));
        assertThat(dump("select * from license_assignment order by id")).isEqualTo(assignmentsBefore);
        assertThat(dump("select * from license_pool order by org_id, license_type")).isEqualTo(poolsBefore);
        assertThat(AccountState.of(jdbc, acme.id).usage()).isEqualTo(before.usage());
        assertThat(jdbc.queryForList("""
                select license_type || ' ' || seats_used_before || '>' || seats_used
                  from job_seat_pool where job_instance_id = ? order by license_type
                """, String.class, dryRun.getJobInstanceId())).containsExactly(HUB + " 0>2", PRO + " 4>2");

        JobExecution real = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));
        assertThat(jobs.outcomesByLearner(real)).containsOnly(entry(first, "REASSIGNED"), entry(second, "REASSIGNED"),
                entry(third, "REJECTED NO_SEATS"), entry(deactivated, "REJECTED LEARNER_DEACTIVATED"));
        Invariants.assertHold(invariants);
    }

    @Test
    void namedLearnersAreFoundByIdOrEmailAndEveryNameGetsAnOutcome() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10);
        long byId = acme.learner(aLearner().onLicense(PRO));
        long byEmail = acme.learner(aLearner().email("Ana.Silva@Acme.example").onLicense(PRO));
        Account other = accounts.account("Other").pool(PRO, 10);
        long otherOrg = other.learner(aLearner().email("bo@other.example").onLicense(PRO));

        JobExecution execution = jobs.reassign(acme, HUB, Select.learners(byId, " ana.silva@acme.EXAMPLE ",
                "nobody@acme.example", "999999999", "bo@other.example", byId));

        assertThat(count("select count(*) from license_change_outcome where job_instance_id = ?",
                execution.getJobInstanceId())).isEqualTo(6);
        assertThat(jdbc.queryForList("""
                select identifier || ' ' || status || ' ' || coalesce(reason, '-')
                  from license_change_outcome where job_instance_id = ? order by item_no
                """, String.class, execution.getJobInstanceId())).containsExactly(
                byId + " REASSIGNED -", "ana.silva@acme.EXAMPLE REASSIGNED -",
                "nobody@acme.example REJECTED LEARNER_NOT_FOUND", "999999999 REJECTED LEARNER_NOT_FOUND",
                "bo@other.example REJECTED LEARNER_IN_OTHER_ORG", byId + " REJECTED DUPLICATE_RECORD");
        assertThat(jobs.currentType(byEmail)).isEqualTo(HUB);
        assertThat(jobs.currentType(otherOrg)).isEqualTo(PRO);
        Invariants.assertHold(invariants);
    }

    private List<String> seats(Account account) {
        return jdbc.queryForList("select license_type || ' ' || seats_used || ' of ' || seats_total from license_pool"
                + " where org_id = ? order by license_type", String.class, account.id);
    }

    private long count(String sql, Object... parameters) {
        return jdbc.queryForObject(sql, Long.class, parameters);
    }

    private String dump(String sql) {
        return jdbc.queryForList(sql).toString();
    }
}
