package io.licensebatch.selection;

import io.licensebatch.cli.Cli;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.license.SeatPoolGateway;
import io.licensebatch.domain.outcome.OutcomeGateway;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;

import static io.licensebatch.support.H2Plans.explainAnalyze;
import static io.licensebatch.support.H2Plans.scanned;
import static io.licensebatch.support.H2Plans.scannedInAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On H2, the embedded default, the statements that run per chunk, per page, per org batch or per name read what
 * they need, not the rest of the table: otherwise a run's work grows with the square of its size. H2 walks an
 * index in order and stops at a limit only when the order by names the index's columns from the first one; it
 * uses an index for a list of values only on the index's first column; it has no index on an expression; and it
 * evaluates a derived table joined to every row once per row. Each case here read thousands of rows for a handful
 * (a reassign in chunks of 10: 23 learners/s; an upload of 44,000 records with 6,000 repeats: 39 s, now 8.6 s).
 */
class ScansOnH2Test {

    private static final int LEARNERS = 5_000;
    private static final int OTHER_ORG_LEARNERS = 1_000;

    private static JdbcTemplate h2;
    private static long pageCo;
    private static long otherCo;

    @BeforeAll
    static void platform() {
        String url = TestDatabases.h2Url("scans");
        assertThat(Cli.execute("generate", "--db", url, "--org", "Page Co", "--learners", String.valueOf(LEARNERS)))
                .isZero();
        assertThat(Cli.execute("generate", "--db", url, "--org", "Other Co", "--learners",
                String.valueOf(OTHER_ORG_LEARNERS))).isZero();
        h2 = TestDatabases.h2Jdbc(url);
        pageCo = h2.queryForObject("select id from organization where name = 'Page Co'", Long.class);
        otherCo = h2.queryForObject("select id from organization where name = 'Other Co'", Long.class);
        h2.update("""
                insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type)
                select 999, id, org_id, id, 'REVOKE', null from learner where org_id = ?
                """, pageCo);
    }

    @Test
    void aChunksPageReadsOnlyItsItems() {
        String plan = explainAnalyze(h2, SelectionReads.PAGE_H2, 999, 100, LEARNERS, 10);
        assertThat(scanned(plan, "selection_item", "s")).as(plan).isLessThanOrEqualTo(11);
    }

    @Test
    void aRangesEndIsFoundByWalkingTheKeyToIt() {
        long from = h2.queryForObject("select min(item_no) from selection_item where job_instance_id = 999", Long.class);
        String plan = explainAnalyze(h2, SelectionReads.ITEM_AT, 999, from, 100);
        assertThat(scanned(plan, "selection_item", null)).as(plan).isLessThanOrEqualTo(102);
        assertThat(h2.queryForObject(SelectionReads.ITEM_AT, Long.class, 999, from, 100)).isEqualTo(
                h2.queryForObject("select item_no from selection_item where job_instance_id = 999 order by item_no"
                        + " limit 1 offset 100", Long.class));
    }

    @Test
    void aPageOfAnOrgsLearnersReadsOnlyThatPage() {
        String plan = explainAnalyze(h2, LearnerGateway.PROFILES, pageCo, 100, 10);
        assertThat(scanned(plan, "learner", "l")).as(plan).isLessThanOrEqualTo(11);
    }

    @Test
    void aBatchOfOrgsReadsOnlyTheirLearners() {
        String plan = explainAnalyze(h2, LearnerGateway.PROFILES_OF_ORGS_H2, (Object) new Long[] {otherCo});
        assertThat(scanned(plan, "learner", "l")).as(plan).isLessThanOrEqualTo(OTHER_ORG_LEARNERS + 1);
    }

    @Test
    void aLearnerNamedByEmailIsFoundByIndex() {
        String email = h2.queryForObject("select email from learner where org_id = ? order by id limit 1",
                String.class, otherCo);
        String plan = explainAnalyze(h2, LearnerGateway.BY_EMAIL_H2, email.toUpperCase(Locale.ROOT), otherCo);
        assertThat(scanned(plan, "learner", null)).as(plan).isLessThanOrEqualTo(2);
    }

    @Test
    void aChunkOfADryRunReadsAndLocksOnlyItsOwnSimulatedPools() {
        h2.update("""
                insert into job_seat_pool (job_instance_id, org_id, license_type, seats_total_before,
                       seats_used_before, seats_total, seats_used)
                select 999, x, t, 10, 5, 10, 5 from system_range(1, 2000) o (x)
                 cross join (values ('LEARNING_PRO'), ('LEARNING_HUB')) as types (t)
                """);
        Object[] parameters = {new Long[] {7L, 8L}, 999, new String[] {"LEARNING_HUB"}};
        for (String sql : new String[] {SeatPoolGateway.READ_SIMULATED, SeatPoolGateway.LOCK_SIMULATED}) {
            String plan = explainAnalyze(h2, sql, parameters);
            assertThat(scanned(plan, "job_seat_pool", "j")).as(plan).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void repeatedRecordsOfAnUploadAreFoundInOnePassOverTheSelection() {
        // 2,000 records naming 1,000 learners twice each, with the same target: 1,000 duplicates.
        h2.update("""
                insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type)
                select 998, x, ?, case when x <= 1000 then x else x - 1000 end, 'REASSIGN', 'LEARNING_HUB'
                  from system_range(1, 2000) r (x)
                """, pageCo);
        String plan = explainAnalyze(h2, SelectionSnapshot.MARK_REPEATS, 998, 998, 998);
        assertThat(scannedInAll(plan)).as("rows scanned over all the statement's tables:%n%s", plan)
                .isLessThanOrEqualTo(20_000);
        assertThat(h2.queryForObject("select count(*) from selection_item where job_instance_id = 998"
                + " and rejection = 'DUPLICATE_RECORD'", Long.class)).isEqualTo(1_000);
    }

    @Test
    void theProgressOfARunningExecutionCountsOnlyItsInstancesOutcomes() {
        // A platform's history: an earlier run's 4,000 outcomes, then the running one's 50.
        h2.update("""
                insert into license_change_outcome (job_instance_id, job_execution_id, item_no, status, processed_at)
                select case when x <= 4000 then 41 else 42 end, case when x <= 4000 then 51 else 52 end,
                       x, 'REASSIGNED', localtimestamp
                  from system_range(1, 4050) r (x)
                """);
        String plan = explainAnalyze(h2, OutcomeGateway.COUNT_BY_EXECUTION, 42, 52);
        assertThat(scanned(plan, "license_change_outcome", null)).as(plan).isLessThanOrEqualTo(51);
        assertThat(new OutcomeGateway(h2).countWrittenBy(42, 52)).isEqualTo(50);
    }
}
