package io.licensebatch.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes for a person ({@code report --out}, {@code usage --out}): written whole or not at all
 * (into a temporary file beside it, renamed over the target at the end), never over a file that exists unless
 * asked ({@code --force}), never through a symbolic link (a link named as the target is refused: it could point
 * at anything), and every refusal says what is wrong with the path and what to do.
 */
final class OutputFile implements AutoCloseable {

    private final Path target;
    private final Path temporary;
    private final Writer writer;
    private boolean committed;

    private OutputFile(Path target, Path temporary, Writer writer) {
        this.target = target;
        this.temporary = temporary;
        this.writer = writer;
    }

    /** Opens the target for writing; refuses (exit 2) a path that cannot or must not be written. */
    static OutputFile open(Path given, boolean force, String option) {
        Path target = check(given, force, option);
        Path folder = target.getParent();
        try {
            Path temporary = Files.createTempFile(folder, "." + target.getFileName() + "-", ".tmp");
            return new OutputFile(target, temporary, Files.newBufferedWriter(temporary, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UsageException(option + ": " + given + ": cannot be written (" + e.getMessage() + ")");
        }
    }

    /**
     * Refuses (exit 2) a path that cannot or must not be written, before any work: a command that writes its file
     * at the end ({@code --summary-json}) checks it first, so that a typo in it is found before anything changes.
     * Returns the target's absolute path.
     */
    static Path check(Path given, boolean force, String option) {
        Path target = given.toAbsolutePath().normalize();
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException(option + ": " + given + ": the folder " + folder + " does not exist; create it"
                    + " first, or write somewhere else");
        }
        if (Files.isSymbolicLink(target)) {
            throw new UsageException(option + ": " + given + " is a symbolic link: license-batch does not write"
                    + " through links (it could point at any file); give the path of a real file");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(option + ": " + given + " is a directory; give the path of a file in it");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new UsageException(option + ": " + given + " exists already; --force replaces it, or choose"
                    + " another name");
        }
        if (!Files.isWritable(folder)) {
            throw new UsageException(option + ": " + given + ": the folder " + folder + " cannot be written to"
                    + " (permissions)");
        }
        return target;
    }

    Writer writer() {
        return writer;
    }

    /** Everything is written: the target becomes the new file at once (a rename replaces a link, never follows it). */
    void commit() throws IOException {
        writer.close();
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Without a commit (a failure on the way), the temporary file goes and the target stays as it was. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            writer.close();
            Files.deleteIfExists(temporary);
        }
    }
}
