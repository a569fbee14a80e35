package io.licensebatch.selection;

import io.licensebatch.cli.Cli;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static io.licensebatch.support.H2Plans.explainAnalyze;
import static io.licensebatch.support.H2Plans.scanned;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On H2, the embedded default, the statements that read a job's work a page at a time read that page, not the
 * rest of the range: H2 walks the primary key in order and stops at the limit only when the order by names the
 * key's columns from its first one. Ordered by the item alone, every chunk read and sorted the rest of its range
 * (20,000 learners in chunks of 10: 23 learners/s, and the reorganise selection the rest of the org per page).
 */
class PagesOnH2Test {

    private static final int LEARNERS = 5_000;

    private static JdbcTemplate h2;

    @BeforeAll
    static void platform() {
        String url = TestDatabases.h2Url("pages");
        assertThat(Cli.execute("generate", "--db", url, "--org", "Page Co", "--learners", String.valueOf(LEARNERS)))
                .isZero();
        h2 = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
        h2.update("""
                insert into selection_item (job_instance_id, item_no, org_id, learner_id, action, target_type)
                select 999, id, org_id, id, 'REVOKE', null from learner
                """);
    }

    @Test
    void aChunksPageReadsOnlyItsItems() {
        String plan = explainAnalyze(h2, SelectionReads.PAGE_H2, 999, 100, LEARNERS, 10);
        assertThat(scanned(plan, "selection_item", "s")).as(plan).isLessThanOrEqualTo(11);
    }

    @Test
    void aPageOfAnOrgsLearnersReadsOnlyThatPage() {
        long org = h2.queryForObject("select min(org_id) from learner", Long.class);
        String plan = explainAnalyze(h2, LearnerGateway.PROFILES, org, 100, 10);
        assertThat(scanned(plan, "learner", "l")).as(plan).isLessThanOrEqualTo(11);
    }
}
