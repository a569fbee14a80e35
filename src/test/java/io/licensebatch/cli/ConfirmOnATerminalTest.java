package io.licensebatch.cli;

import io.licensebatch.LicenseBatchApplication;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.Processes.count;
import static io.licensebatch.support.Processes.jdbc;
import static io.licensebatch.support.TestAccounts.PRO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On an interactive terminal, a run the mass-change guard stops asks instead of giving up: a real pseudo-terminal
 * (util-linux {@code script}) runs the command, and the test types the answer. "y" carries the run out (the same
 * selection, confirmed by the operator); anything else leaves everything as it was, exit 4.
 */
class ConfirmOnATerminalTest {

    static String db;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("terminal");
        assertThat(io.licensebatch.support.Commands.run(db, "status").code()).isZero();
        jdbc = jdbc(db);
    }

    @Test
    void yesOnTheTerminalCarriesTheRunOut() throws Exception {
        Account org = org("Yes Co");
        Answered answered = revokeAnswering(org, "y");

        assertThat(answered.code()).as(answered.output()).isZero();
        assertThat(answered.output()).contains("stopped by the mass-change guard").contains("Change 10 learners? [y/N]")
                .contains("COMPLETED");
        assertThat(current(org)).isEqualTo(10);
        assertThat(jdbc.queryForObject("select confirmed_by from change_request order by id desc limit 1",
                String.class)).startsWith("operator:");
    }

    @Test
    void anythingElseLeavesEverythingAsItWas() throws Exception {
        Account org = org("No Co");
        Answered answered = revokeAnswering(org, "n");

        assertThat(answered.code()).as(answered.output()).isEqualTo(4);
        assertThat(answered.output()).contains("Change 10 learners? [y/N]").contains("Not confirmed: nothing changes");
        assertThat(current(org)).isEqualTo(20);
    }

    private record Answered(int code, String output) {
    }

    /** {@code revoke --department A} on a pseudo-terminal, the answer typed when it asks. */
    private Answered revokeAnswering(Account org, String answer) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LicenseBatchApplication.class.getName(), "revoke", "--db", db,
                "--org", org.name, "--department", "A");
        Path script = dir.resolve("revoke-" + answer + ".sh");
        Files.writeString(script, "exec " + command.stream().map(argument -> "'" + argument.replace("'", "'\\''")
                + "'").collect(Collectors.joining(" ")) + "\n");
        Path output = dir.resolve("revoke-" + answer + ".out");
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", "/bin/sh " + script, "/dev/null")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("LICENSE_BATCH_GUARD_MAX_SHARE", "0.25");
        builder.environment().put("LICENSE_BATCH_GUARD_MIN_CHANGES", "5");
        Process process = builder.start();
        try (OutputStream typed = process.getOutputStream()) {
            typed.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
            typed.flush();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        }
        return new Answered(process.exitValue(), Files.readString(output));
    }

    private static Account org(String name) {
        Account org = new TestAccounts(jdbc).account(name).pool(PRO, 40);
        for (int i = 0; i < 20; i++) {
            org.learner(aLearner().onLicense(PRO).department(i < 10 ? "A" : "B"));
        }
        return org;
    }

    private static long current(Account org) {
        return count(jdbc, "select count(*) from license_assignment where org_id = ? and ended_at is null", org.id);
    }
}
