package io.licensebatch.job.apply;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.support.PostgresIntegrationTest;
import io.licensebatch.support.Select;
import io.licensebatch.support.TestAccounts.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk commits without waiting for the disk (PostgreSQL's asynchronous commit, for that transaction only),
 * and the end of a step and of a run waits, so that a run is never recorded COMPLETED while one of its chunks could
 * still be lost to a crash of the database server (see {@code SessionTuning#commitWithoutWaitingForTheDisk}).
 * Triggers record the setting each write ran under, as the server saw it.
 */
@TestPropertySource(properties = "license-batch.chunk-size=10")
class ChunkCommitTest extends PostgresIntegrationTest {

    @BeforeEach
    void recordCommitModes() {
        jdbc.execute("create table commit_mode (written text, status text, mode text)");
        jdbc.execute("""
                create function record_write() returns trigger language plpgsql as $$
                begin
                    insert into commit_mode values (tg_table_name, null, current_setting('synchronous_commit'));
                    return null;
                end $$
                """);
        jdbc.execute("""
                create function record_status() returns trigger language plpgsql as $$
                begin
                    insert into commit_mode values (tg_table_name, new.status, current_setting('synchronous_commit'));
                    return null;
                end $$
                """);
        // And at commit (a deferred trigger runs then): the setting the commit itself used.
        jdbc.execute("""
                create function record_commit() returns trigger language plpgsql as $$
                begin
                    insert into commit_mode values (tg_table_name || ' at commit', null,
                        current_setting('synchronous_commit'));
                    return null;
                end $$
                """);
        for (String table : List.of("license_change_outcome", "selection_item", "license_assignment")) {
            jdbc.execute("create trigger record_" + table + " after insert on " + table
                    + " for each statement execute function record_write()");
            jdbc.execute("create constraint trigger record_commit_" + table + " after insert on " + table
                    + " deferrable initially deferred for each row execute function record_commit()");
        }
        for (String table : List.of("batch_job_execution", "batch_step_execution")) {
            jdbc.execute("create trigger record_" + table + " after update on " + table
                    + " for each row execute function record_status()");
        }
    }

    @AfterEach
    void removeTriggers() {
        for (String table : List.of("license_change_outcome", "selection_item", "license_assignment",
                "batch_job_execution", "batch_step_execution")) {
            jdbc.execute("drop trigger if exists record_" + table + " on " + table);
            jdbc.execute("drop trigger if exists record_commit_" + table + " on " + table);
        }
        jdbc.execute("drop function if exists record_write()");
        jdbc.execute("drop function if exists record_status()");
        jdbc.execute("drop function if exists record_commit()");
        jdbc.execute("drop table if exists commit_mode");
    }

    @Test
    void theApplyChunksCommitWithoutWaitingAndTheEndOfTheRunWaits() {
        Account acme = accounts.account("Acme").pool(PRO, 50).pool(HUB, 50);
        for (int i = 0; i < 35; i++) {
            acme.learner(aLearner().onLicense(PRO));
        }

        jdbc.update("delete from commit_mode"); // the account's own rows
        JobExecution run = jobs.reassign(acme, HUB, Select.where().licenseType(PRO));

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(modes("license_change_outcome")).as("the outcomes of 4 chunks").hasSize(4).containsOnly("off");
        assertThat(modes("license_change_outcome at commit")).as("the 35 outcomes, as their chunks committed")
                .hasSize(35).containsOnly("off");
        assertThat(modes("license_assignment")).as("the new assignments of 4 chunks").hasSize(4).containsOnly("off");
        assertThat(modes("selection_item")).as("the selection, one transaction").containsOnly("on");
        assertEndsWait();
    }

    @Test
    void theStagingChunksOfAnUploadCommitWithoutWaitingToo(@TempDir Path files) throws Exception {
        Account acme = accounts.account("Acme").pool(PRO, 50).pool(HUB, 50);
        StringBuilder csv = new StringBuilder("learner_id\n");
        for (int i = 0; i < 25; i++) {
            csv.append(acme.learner(aLearner().onLicense(PRO))).append('\n');
        }
        Path upload = files.resolve("to-hub.csv");
        Files.writeString(upload, csv);

        jdbc.update("delete from commit_mode"); // the account's own rows
        JobExecution run = jobs.upload(acme.id, Action.REASSIGN, HUB, upload, false);

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(modes("selection_item")).as("the records staged, 3 chunks").hasSize(3).containsOnly("off");
        assertThat(modes("selection_item at commit")).as("the 25 records, as their chunks committed")
                .hasSize(25).containsOnly("off");
        assertThat(modes("license_change_outcome")).as("the outcomes of 3 chunks").hasSize(3).containsOnly("off");
        assertEndsWait();
    }

    /** Every step's and the run's last update (COMPLETED) waits for the disk, which flushes every chunk before. */
    private void assertEndsWait() {
        assertThat(jdbc.queryForList("select mode from commit_mode where written = 'batch_job_execution'"
                + " and status = 'COMPLETED'", String.class)).isNotEmpty().containsOnly("on");
        assertThat(jdbc.queryForList("select mode from commit_mode where written = 'batch_step_execution'"
                + " and status = 'COMPLETED'", String.class)).isNotEmpty().containsOnly("on");
    }

    private List<String> modes(String table) {
        return jdbc.queryForList("select mode from commit_mode where written = ?", String.class, table);
    }
}
