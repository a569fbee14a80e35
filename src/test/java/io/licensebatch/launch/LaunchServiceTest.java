package io.licensebatch.launch;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.job.common.FailureCause;
import io.licensebatch.request.ChangeOrder;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.InvalidRequestException;
import io.licensebatch.support.Invariants;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The one way in, without the command line: an order becomes a request whose flags are stored once and whose
 * job parameters name it alone; every run passes the mass-change guard (blocked: nothing changed; confirmed, or
 * below the limits: it runs); a dry run is a plan that {@code apply} carries out exactly, once; a completed run
 * with FAILED learners (or REJECTED ones, when asked) ends so that its exit code can page someone.
 */
@TestPropertySource(properties = {"license-batch.guard-max-share=0.25", "license-batch.guard-min-changes=5",
        "license-batch.guard-max-revokes=8"})
class LaunchServiceTest extends PostgresIntegrationTest {

    @Autowired
    LaunchService launches;

    @AfterEach
    void removeFaults() {
        jdbc.execute("drop trigger if exists fail_one_learner on license_assignment");
        jdbc.execute("drop function if exists fail_learner()");
    }

    @Test
    void anOrderIsStoredAsARequestWhoseJobParametersNameItAlone() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 10);
        acme.learner(aLearner().onLicense(PRO).department("Sales"));

        Launch launch = launches.submit(new ChangeOrder.Change(acme.name, Action.REASSIGN, "learning_hub",
                Select.where().department("Sales").spec(), new ChangeOrder.How(false, "OPS-1", false, false, List.of(), false,
                        "test")), accepted -> assertThat(accepted.id()).isPositive());

        assertThat(launch.ending()).isEqualTo(Launch.Ending.COMPLETED);
        assertThat(launch.execution().getJobParameters().parameters()).hasSize(1)
                .allSatisfy(parameter -> assertThat(parameter.name()).isEqualTo("request"));
        ChangeRequest request = launch.request();
        assertThat(request.targetType()).isEqualTo(HUB);
        assertThat(request.options().note()).isEqualTo("OPS-1");
        assertThat(request.selection()).isInstanceOf(ChangeRequest.Filters.class);
        assertThat(jdbc.queryForObject("select note from change_request where id = ?", String.class, request.id()))
                .isEqualTo("OPS-1");
    }

    @Test
    void aMassChangeStopsBeforeAnythingChangesUntilConfirmedAndASmallOneRuns() {
        Account acme = accounts.account("Acme").pool(PRO, 40).pool(HUB, 40);
        List<Long> sales = learners(acme, 12, "Sales");
        learners(acme, 8, "Support");
        String before = state(acme);

        Launch blocked = launches.submit(new ChangeOrder.Change(acme.name, Action.REVOKE, null,
                Select.where().department("Sales").spec(), ChangeOrder.How.of(false, "test")), accepted -> { });

        assertThat(blocked.ending()).isEqualTo(Launch.Ending.BLOCKED);
        assertThat(blocked.execution().getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(state(acme)).as("nothing changed").isEqualTo(before);
        assertThat(count("select count(*) from license_change_outcome where job_instance_id = ?",
                blocked.execution().getJobInstanceId())).isZero();

        Launch confirmed = launches.restart(blocked.execution().getId(), true, "ops-lead");

        assertThat(confirmed.ending()).isEqualTo(Launch.Ending.COMPLETED);
        assertThat(confirmed.execution().getJobInstanceId()).as("the same selection")
                .isEqualTo(blocked.execution().getJobInstanceId());
        assertThat(sales).allSatisfy(learner -> assertThat(jobs.currentType(learner)).isNull());
        assertThat(jdbc.queryForObject("select confirmed_by from change_request where id = ?", String.class,
                blocked.request().id())).isEqualTo("ops-lead");

        Launch dryRun = launches.submit(new ChangeOrder.Change(acme.name, Action.REASSIGN, HUB,
                Select.where().department("Support").spec(), ChangeOrder.How.of(true, "test")), accepted -> { });
        assertThat(dryRun.ending()).as("8 of 20 would change, but a dry run is never blocked: it is the plan")
                .isEqualTo(Launch.Ending.COMPLETED);
        Launch one = launches.submit(new ChangeOrder.Change(acme.name, Action.REASSIGN, HUB,
                Select.where().department("Support").licenseType(PRO).search("learner").exclude(
                        firstOf(acme, "Support", 5)).spec(), ChangeOrder.How.of(false, "test")), accepted -> { });
        assertThat(one.ending()).as("3 learners: below guard-min-changes").isEqualTo(Launch.Ending.COMPLETED);
        Invariants.assertHold(invariants);
    }

    @Test
    void aDryRunIsAPlanThatApplyCarriesOutExactlyOnce() {
        Account acme = accounts.account("Acme").pool(PRO, 20).pool(HUB, 20).pool(ESSENTIALS, 20);
        List<Long> sales = learners(acme, 6, "Sales");
        long drifted = sales.get(2);
        long lateJoiner = acme.learner(aLearner().onLicense(ESSENTIALS).department("Sales"));

        Launch plan = launches.submit(new ChangeOrder.Change(acme.name, Action.REASSIGN, HUB,
                Select.where().department("Sales").licenseType(PRO).spec(), ChangeOrder.How.of(true, "planner")),
                accepted -> { });
        assertThat(plan.ending()).isEqualTo(Launch.Ending.COMPLETED);
        assertThat(jobs.outcomesByLearner(plan.execution())).hasSize(6).containsValue("WOULD_REASSIGN");

        // Between plan and apply: an admin moves one planned learner, and another learner joins the filter.
        jdbc.update("update license_assignment set ended_at = localtimestamp, end_reason = 'REASSIGNED',"
                + " ended_by = 'admin' where learner_id = ? and ended_at is null", drifted);
        jdbc.update("insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)"
                + " values (?, ?, ?, localtimestamp, 'admin')", drifted, acme.id, ESSENTIALS);
        jdbc.update("update license_pool set seats_used = seats_used - 1 where org_id = ? and license_type = ?",
                acme.id, PRO);
        jdbc.update("update license_pool set seats_used = seats_used + 1 where org_id = ? and license_type = ?",
                acme.id, ESSENTIALS);
        jdbc.update("update license_assignment set license_type = ? where learner_id = ? and ended_at is null", PRO,
                lateJoiner);
        jdbc.update("update license_pool set seats_used = seats_used - 1 where org_id = ? and license_type = ?",
                acme.id, ESSENTIALS);
        jdbc.update("update license_pool set seats_used = seats_used + 1 where org_id = ? and license_type = ?",
                acme.id, PRO);

        Launch applied = jobs.apply(plan.execution());

        assertThat(applied.ending()).isEqualTo(Launch.Ending.COMPLETED);
        Map<Long, String> outcomes = jobs.outcomesByLearner(applied.execution());
        assertThat(outcomes).as("exactly the planned learners").containsOnlyKeys(sales)
                .contains(entry(drifted, "REJECTED CHANGED_CONCURRENTLY"));
        assertThat(sales.stream().filter(learner -> learner != drifted))
                .allSatisfy(learner -> assertThat(jobs.currentType(learner)).isEqualTo(HUB));
        assertThat(jobs.currentType(drifted)).isEqualTo(ESSENTIALS);
        assertThat(jobs.currentType(lateJoiner)).as("not in the plan: left alone").isEqualTo(PRO);
        assertThat(jdbc.queryForObject("select confirmed_by from change_request where id = ?", String.class,
                applied.request().id())).as("a reviewed plan goes past the guard").isEqualTo("test");

        assertThatThrownBy(() -> jobs.apply(plan.execution())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("was applied already");
        assertThatThrownBy(() -> jobs.apply(applied.execution())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("was not a dry run");
        Invariants.assertHold(invariants);
    }

    @Test
    void aCompletedRunWithAFailedLearnerEndsSoAsToExitFiveAndRejectionsTooWhenAsked() {
        Account acme = accounts.account("Acme").pool(PRO, 10).pool(HUB, 1);
        List<Long> three = learners(acme, 3, "Sales");
        jdbc.execute("""
                create function fail_learner() returns trigger language plpgsql as $$
                begin
                    if new.learner_id = %d then
                        raise exception 'learner %% is locked by the HR import', new.learner_id;
                    end if;
                    return new;
                end $$
                """.formatted(three.get(0)));
        jdbc.execute("create trigger fail_one_learner before insert on license_assignment"
                + " for each row execute function fail_learner()");

        Launch failed = launches.submit(new ChangeOrder.Change(acme.name, Action.REASSIGN, HUB,
                Select.learners(three.get(0)).spec(), ChangeOrder.How.of(false, "test")), accepted -> { });
        assertThat(failed.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(failed.ending()).isEqualTo(Launch.Ending.COMPLETED_WITH_FAILURES);

        Launch rejected = launches.submit(new ChangeOrder.Change(acme.name, Action.REASSIGN, HUB,
                Select.learners(three.get(1), three.get(2)).spec(), new ChangeOrder.How(false, null, true, false,
                        List.of(), false, "test")), accepted -> { });
        assertThat(jobs.outcomesByLearner(rejected.execution())).containsValue("REJECTED NO_SEATS");
        assertThat(rejected.ending()).isEqualTo(Launch.Ending.COMPLETED_WITH_REJECTIONS);
        assertThat(FailureCause.of(rejected.execution())).isEmpty();
    }

    private List<Long> learners(Account account, int n, String department) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(account.learner(aLearner().onLicense(PRO).department(department)));
        }
        return ids;
    }

    private Object[] firstOf(Account account, String department, int n) {
        return jdbc.queryForList("select id from learner where org_id = ? and department = ? order by id limit ?",
                Long.class, account.id, department, n).toArray();
    }

    private String state(Account account) {
        return jdbc.queryForList("select learner_id || ' ' || license_type || ' ' || coalesce(end_reason, '-')"
                + " from license_assignment where org_id = ? order by 1", String.class, account.id).toString();
    }

    private long count(String sql, Object... parameters) {
        return jdbc.queryForObject(sql, Long.class, parameters);
    }
}
