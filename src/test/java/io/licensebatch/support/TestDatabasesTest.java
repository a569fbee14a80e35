package io.licensebatch.support;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static org.assertj.core.api.Assertions.assertThat;

/** Test databases of a JVM that was killed do not stay behind on the server; those of live JVMs do. */
class TestDatabasesTest {

    @Test
    void theDatabasesOfDeadJvmsAreDroppedAndThoseOfLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String dead = "lbt_" + gone.pid() + "_killed_run";
        String live = TestDatabases.create("kept");
        JdbcTemplate server = jdbc(TestDatabases.url("postgres"));
        server.execute("create database " + dead);
        server.execute("create database lbt_from_before_pids");

        TestDatabases.dropThoseOfDeadJvms();

        assertThat(count(server, "select count(*) from pg_database where datname in ('" + dead
                + "', 'lbt_from_before_pids')")).isZero();
        assertThat(count(server, "select count(*) from pg_database where datname = '"
                + live.substring(live.lastIndexOf('/') + 1, live.indexOf('?')) + "'")).isOne();
    }
}
