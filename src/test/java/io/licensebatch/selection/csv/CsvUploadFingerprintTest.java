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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An upload's fingerprint is taken once per process, and taken again as soon as the file changes. */
class CsvUploadFingerprintTest {

    @TempDir
    Path directory;

    @Test
    void aFileRewrittenWithTheSameSizeGetsANewFingerprintAndIsNotReadThroughTheOldOne() throws IOException {
        Path file = directory.resolve("moves.csv");
        Files.writeString(file, "email,license_type\na@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        CsvUpload upload = CsvUpload.check(file, java.util.List.of());
        assertThat(CsvUpload.check(directory.resolve("./moves.csv"), java.util.List.of()).sha256()).isEqualTo(upload.sha256());
        try (CsvRecordReader reader = CsvRecordReader.open(file, upload.blocks())) {
            assertThat(reader.header()).containsExactly("email", "license_type");
        }

        Files.writeString(file, "email,license_type\nb@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);

        assertThat(CsvUpload.check(file, java.util.List.of()).sha256()).isNotEqualTo(upload.sha256());
        try (CsvRecordReader reader = CsvRecordReader.open(file, upload.blocks())) {
            assertThatThrownBy(reader::header).isInstanceOf(CsvFileException.class)
                    .hasMessageContaining("changed since the upload was accepted (bytes 0 to 44 differ");
        }
    }

    @Test
    void aLargeFileIsReadBlockByBlockAndARewriteFarDownFailsBeforeAnyOfItsRecordIsRead() throws IOException {
        Path file = directory.resolve("large.csv");
        StringBuilder text = new StringBuilder("email,license_type\n");
        for (int i = 0; i < 100_000; i++) {
            text.append("learner").append(String.format("%06d", i)).append("@x.example,LEARNING_HUB\n");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        CsvUpload upload = CsvUpload.check(file, java.util.List.of());
        assertThat(Files.size(file)).as("more than two blocks").isGreaterThan(2L * FileBlocks.BLOCK_SIZE);
        // the same size, one record changed far down: the blocks before it still read
        int at = text.indexOf("learner090000");
        long changedBlock = at / FileBlocks.BLOCK_SIZE;
        text.replace(at, at + "learner090000@x.example,LEARNING_HUB".length(), "learner090000@x.example,REVOKE______");
        Files.writeString(file, text, StandardCharsets.UTF_8);

        long read = 0;
        try (CsvRecordReader reader = CsvRecordReader.open(file, upload.blocks())) {
            reader.header();
            CsvRecord last = null;
            try {
                for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                    last = record;
                    read++;
                }
            } catch (CsvFileException e) {
                assertThat(e).hasMessageContaining("changed since the upload was accepted (bytes "
                        + changedBlock * FileBlocks.BLOCK_SIZE + " to ");
            }
            assertThat(last).isNotNull();
            assertThat(last.fields().get(1)).as("nothing of the changed block was parsed").isEqualTo("LEARNING_HUB");
        }
        assertThat(read).as("the records of the blocks before the changed one")
                .isBetween(changedBlock * FileBlocks.BLOCK_SIZE / 40, changedBlock * FileBlocks.BLOCK_SIZE / 36);
    }

    @Test
    void aCheckStartedAheadIsTakenOnlyWhileTheFileIsAsItWas() throws IOException {
        Path file = directory.resolve("ahead.csv");
        Files.writeString(file, "email,license_type\na@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        CsvUpload.checkAhead(file, java.util.List.of());
        CsvUpload first = CsvUpload.check(file, java.util.List.of());
        assertThat(first.records()).isEqualTo(1);

        CsvUpload.checkAhead(file, java.util.List.of());
        Files.writeString(file, "email,license_type\nb@x.example,LEARNING_HUB\nc@x.example,REVOKE\n",
                StandardCharsets.UTF_8);
        CsvUpload second = CsvUpload.check(file, java.util.List.of());

        assertThat(second.records()).as("checked again: the file changed after the check ahead").isEqualTo(2);
        assertThat(second.sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    void aFailureOfACheckAheadIsCheckedAgain() throws IOException {
        Path file = directory.resolve("late.csv");
        CsvUpload.checkAhead(file, java.util.List.of());
        assertThat(CsvUpload.AHEAD.get(file)).as("the check ahead fails: no such file yet")
                .failsWithin(java.time.Duration.ofSeconds(10));
        Files.writeString(file, "email,license_type\na@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8);

        assertThat(CsvUpload.check(file, java.util.List.of()).records()).isEqualTo(1);
    }

    @Test
    void aFileStillBeingWrittenIsRefused() throws Exception {
        Path file = directory.resolve("growing.csv");
        StringBuilder text = new StringBuilder("email,license_type\n");
        for (int i = 0; i < 200_000; i++) {
            text.append("learner").append(i).append("@x.example,LEARNING_HUB\n");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            // Appends without a pause until the check is over: the file grows all the while it is checked.
            while (writing.get()) {
                try {
                    Files.writeString(file, "late@x.example,LEARNING_HUB\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        writer.start();
        try {
            assertThatThrownBy(() -> CsvUpload.check(file, java.util.List.of())).isInstanceOf(CsvFileException.class)
                    .hasMessageContaining("changed while it was being checked");
        } finally {
            writing.set(false);
            writer.join();
        }
    }
}
