package io.licensebatch.job.reorganise;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.Commands;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.licensebatch.support.Processes.jdbc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly selection of a platform: many small orgs, read together a page's worth at a time, and a large one
 * (more learners than a page), read by pages, listed in a rules file in an order that is not the orgs' ids.
 * Every drifted learner is selected exactly once, and the items are numbered org after org in the rules'
 * order, each org's learners by id, as when every org was read alone; the run's description names the first
 * few orgs and how many more. On both databases.
 */
class ManySmallOrgsSelectionTest {

    private static final int SMALL_ORGS = 40;
    private static final int SMALL_LEARNERS = 30;
    private static final int LARGE_LEARNERS = 6_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void everyDriftedLearnerOfEveryListedOrgIsSelectedOnceInTheRulesOrder(String database) throws IOException {
        String db = database.equals("h2") ? TestDatabases.h2Url("many_small_orgs") + ";USER=sa"
                : TestDatabases.create("many_small_orgs");
        assertThat(Cli.execute("generate", "--db", db, "--org", "Small", "--orgs", String.valueOf(SMALL_ORGS),
                "--learners", String.valueOf(SMALL_LEARNERS))).isZero();
        assertThat(Cli.execute("generate", "--db", db, "--org", "Large", "--learners", String.valueOf(LARGE_LEARNERS),
                "--seed", "7")).isZero();
        JdbcTemplate jdbc = jdbc(db);
        // Not in id order: the large org between small ones, small orgs from the end and the start, some left out.
        List<String> listed = new ArrayList<>();
        for (int i = SMALL_ORGS; i > SMALL_ORGS - 12; i--) {
            listed.add("Small " + i);
        }
        listed.add("Large");
        for (int i = 1; i <= 15; i++) {
            listed.add("Small " + i);
        }
        StringBuilder rules = new StringBuilder("organizations:\n");
        for (String org : listed) {
            rules.append("  - organization: ").append(org).append('\n').append("""
                        default: LEARNING_HUB
                        rules:
                          - name: leavers give their seat back
                            when: {status: DEACTIVATED}
                            license: REVOKE
                    """);
        }
        Path file = Files.writeString(dir.resolve("platform.yaml"), rules);

        Commands night = Commands.run(db, "reorganise", "--rules", file.toString(), "--date", "2026-12-02",
                "--dry-run");

        assertThat(night.code()).as(night.output()).isZero();
        assertThat(night.output()).as("a platform's night names a few orgs, not every one")
                .contains("reorganise Small 40, Small 39, Small 38, Small 37, Small 36 and 23 more organizations by ")
                .doesNotContain("Small 15,");
        List<String> expected = new ArrayList<>();
        for (String org : listed) {
            expected.addAll(jdbc.queryForList("""
                    select o.name || ' ' || l.id
                      from learner l
                      join organization o on o.id = l.org_id
                      left join license_assignment a on a.learner_id = l.id and a.ended_at is null
                     where o.name = ?
                       and case when l.status = 'DEACTIVATED' then a.id is not null
                                else a.license_type is null or a.license_type <> 'LEARNING_HUB' end
                     order by l.id
                    """, String.class, org));
        }
        long instance = jdbc.queryForObject("select job_instance_id from batch_job_execution where job_execution_id = ?",
                Long.class, night.execution());
        List<String> selected = jdbc.queryForList("""
                select o.name || ' ' || s.learner_id
                  from selection_item s join organization o on o.id = s.org_id
                 where s.job_instance_id = ?
                 order by s.item_no
                """, String.class, instance);
        assertThat(expected).as("the platform has drift in small and large orgs")
                .anyMatch(item -> item.startsWith("Large ")).anyMatch(item -> item.startsWith("Small 1 "))
                .hasSizeGreaterThan(LARGE_LEARNERS / 10);
        assertThat(selected).containsExactlyElementsOf(expected);
    }
}
