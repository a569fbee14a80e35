package io.licensebatch.selection.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** An upload's fingerprint is taken once per process, and taken again as soon as the file changes. */
class CsvUploadFingerprintTest {

    @TempDir
    Path directory;

    @Test
    void aFileRewrittenWithTheSameSizeGetsANewFingerprint() throws IOException {
        Path file = directory.resolve("moves.csv");
        Files.writeString(file, "email,license_type\na@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        CsvUpload upload = CsvUpload.check(file);
        assertThat(CsvUpload.sha256Of(file)).isEqualTo(upload.sha256());

        Files.writeString(file, "email,license_type\nb@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);

        assertThat(CsvUpload.sha256Of(file)).isNotEqualTo(upload.sha256())
                .isEqualTo(CsvUpload.sha256Of(directory.resolve("./moves.csv")));
    }

    @Test
    void aCheckStartedAheadIsTakenOnlyWhileTheFileIsAsItWas() throws IOException {
        Path file = directory.resolve("ahead.csv");
        Files.writeString(file, "email,license_type\na@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        CsvUpload.checkAhead(file);
        CsvUpload first = CsvUpload.check(file);
        assertThat(first.records()).isEqualTo(1);

        CsvUpload.checkAhead(file);
        Files.writeString(file, "email,license_type\nb@x.example,LEARNING_HUB\nc@x.example,REVOKE\n",
                StandardCharsets.UTF_8);
        CsvUpload second = CsvUpload.check(file);

        assertThat(second.records()).as("checked again: the file changed after the check ahead").isEqualTo(2);
        assertThat(second.sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    void aFailureOfACheckAheadIsCheckedAgain() throws IOException {
        Path file = directory.resolve("late.csv");
        CsvUpload.checkAhead(file);
        assertThat(CsvUpload.AHEAD.get(file)).as("the check ahead fails: no such file yet")
                .failsWithin(java.time.Duration.ofSeconds(10));
        Files.writeString(file, "email,license_type\na@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);

        assertThat(CsvUpload.check(file).records()).isEqualTo(1);
    }
}
