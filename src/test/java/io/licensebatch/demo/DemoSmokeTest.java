package io.licensebatch.demo;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the demo on the embedded H2 default, in a directory of its own. */
class DemoSmokeTest {

    @TempDir
    Path directory;

    @Test
    void theDemoRunsOnTheEmbeddedDefaultAndPrintsItsSummaries() {
        CliProcess demo = CliProcess.start(directory, Map.of(), "demo");

        assertThat(demo.waitFor(Duration.ofMinutes(2))).as(demo.output()).isZero();
        String output = demo.output();
        assertThat(output).contains("Loaded sample-data/: 2 organizations, 420 learners")
                .contains("WOULD_REASSIGN").contains("REJECTED NO_SEATS")
                .contains("REASSIGNED").contains("REVOKED")
                .contains("(REVOKED)")
                .contains("All invariants hold.")
                .contains("Demo done.")
                .doesNotContain("Exception");
        assertThat(Files.exists(directory.resolve("data/license-batch.mv.db"))).isTrue();

        CliProcess again = CliProcess.start(directory, Map.of(), "demo");
        assertThat(again.waitFor(Duration.ofMinutes(2))).as(again.output()).isZero();
        assertThat(again.output()).contains("Sample data is loaded already").contains("All invariants hold.");
    }

    @Test
    void anH2UrlWithoutTheSettingsLicenseBatchNeedsGetsThem() {
        String plainUrl = "jdbc:h2:file:" + directory.resolve("plain");
        CliProcess demo = CliProcess.start(directory, Map.of(), "demo", "--db", plainUrl);

        assertThat(demo.waitFor(Duration.ofMinutes(2))).as(demo.output()).isZero();
        assertThat(demo.output()).contains("WOULD_REASSIGN").contains("All invariants hold.").contains("Demo done.")
                .doesNotContain("Exception");
    }

    @Test
    void anH2UrlInAnotherModeIsRefused() {
        assertThat(Cli.execute("demo", "--db", "jdbc:h2:mem:other;MODE=MySQL")).isEqualTo(2);
    }
}
