package io.licensebatch.selection.csv;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * An upload checked as a whole before anything starts: readable, UTF-8 text (not binary), a header with
 * known columns and an identifier, at least one record. The same pass counts the records (for progress) and
 * takes the file's fingerprint, block by block ({@link FileBlocks}), from the very bytes it checked: staging
 * later reads the file through that fingerprint, so what is staged is exactly what was checked.
 *
 * @param file    the absolute path
 * @param blocks  the fingerprint of the bytes that were checked
 * @param records data records (malformed ones included)
 */
public record CsvUpload(Path file, FileBlocks blocks, CsvColumns columns, long records) {

    /** Checks started ahead by {@link #checkAhead}, by the path they were started with (visible to tests). */
    static final Map<Path, CompletableFuture<Checked>> AHEAD = new ConcurrentHashMap<>();

    /** A check, and the file's size and modification time when it ended. */
    record Checked(CsvUpload upload, long size, FileTime modified) {
    }

    /** The upload's fingerprint: the SHA-256 of its blocks' SHA-256. */
    public String sha256() {
        return blocks.sha256();
    }

    /**
     * Starts {@link #check} on another thread, for a command that knows the file before it has started the
     * application (a million records take about a second, the application about as long): {@code check} then
     * takes its result if the file's size and modification time are what they were when it ended. A failure is
     * checked again, so it is reported as of then.
     */
    public static void checkAhead(Path given, List<String> ignoredColumns) {
        AHEAD.put(given, CompletableFuture.supplyAsync(() -> {
            CsvUpload upload = checkNow(given, ignoredColumns);
            return new Checked(upload, size(upload.file()), modified(upload.file()));
        }));
    }

    /**
     * Checks the whole file (readable, UTF-8 text, not binary, a header with known columns, at least one
     * record) and takes its fingerprint; a {@link CsvFileException} says what is wrong, where.
     */
    public static CsvUpload check(Path given, List<String> ignoredColumns) {
        CompletableFuture<Checked> ahead = AHEAD.remove(given);
        if (ahead != null) {
            try {
                Checked checked = ahead.join();
                Path file = checked.upload().file();
                if (Files.isRegularFile(file) && size(file) == checked.size()
                        && modified(file).equals(checked.modified())
                        && checked.upload().columns().ignored().equals(CsvColumns.normalized(ignoredColumns))) {
                    return checked.upload();
                }
            } catch (CompletionException e) {
                // Checked again below, as if nothing had been started: the failure may be stale too.
            }
        }
        return checkNow(given, ignoredColumns);
    }

    private static CsvUpload checkNow(Path given, List<String> ignoredColumns) {
        Path file = given.toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new CsvFileException(given + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new CsvFileException(given + ": is a directory, not an upload; give the path of the CSV file in it");
        }
        if (!Files.isRegularFile(file)) {
            throw new CsvFileException(given + ": is not a regular file (a pipe, a device or a socket): an upload is"
                    + " checked as a whole before anything starts; save it to a file and upload that");
        }
        if (!Files.isReadable(file)) {
            throw new CsvFileException(given + ": cannot be read (permissions)");
        }
        refuseBinary(given, file);
        long sizeBefore = size(file);
        FileTime modifiedBefore = modified(file);
        try (FileBlocks.Hashing bytes = FileBlocks.hashing(Files.newInputStream(file))) {
            CsvRecordReader reader = new CsvRecordReader(bytes, 0);
            List<String> header = reader.header();
            if (header == null) {
                throw new CsvFileException(given + ": the file is empty");
            }
            if (reader.headerProblem() != null) {
                throw new CsvFileException(given + ": the header line cannot be read: " + reader.headerProblem()
                        + "; the first line must name the columns, e.g. email,license_type,reason");
            }
            checkText(given, header, reader.lineNumber());
            CsvColumns columns = CsvColumns.of(given, header, ignoredColumns);
            long records = 0;
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                checkText(given, record.fields(), record.line());
                records++;
            }
            if (records == 0) {
                throw new CsvFileException(given + ": the header has no records under it");
            }
            if (size(file) != sizeBefore || !modified(file).equals(modifiedBefore)) {
                throw new CsvFileException(given + ": changed while it was being checked (is it still being"
                        + " written?): upload it again once it is complete");
            }
            return new CsvUpload(file, bytes.blocks(), columns, records);
        } catch (CsvRecordReader.LineTooLong e) {
            // The caller says that nothing was changed (RequestResolver), as for every other refusal of the file.
            throw new CsvFileException(given + ": " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new CsvFileException(given + ": not UTF-8 text (" + whereNotUtf8(given, file)
                    + "): save the file as UTF-8 CSV and upload it again");
        } catch (IOException e) {
            throw new CsvFileException(given + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The columns of an upload that was checked before: its header only is read, through its fingerprint. */
    public static CsvColumns columnsOf(Path file, FileBlocks blocks, List<String> ignoredColumns) {
        try (CsvRecordReader reader = new CsvRecordReader(blocks.open(file), 0)) {
            List<String> header = reader.header();
            if (header == null) {
                throw new CsvFileException(file + ": the file is empty");
            }
            return CsvColumns.of(file, header, ignoredColumns);
        } catch (CharacterCodingException e) {
            throw new CsvFileException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new CsvFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CsvFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new CsvFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Looks at the first bytes: a UTF-16 byte-order mark, or a NUL byte (images, archives, spreadsheets,
     * UTF-16 without a mark), means this is not a UTF-8 CSV file, whatever its name.
     */
    private static void refuseBinary(Path given, Path file) {
        byte[] head = new byte[8192];
        int length;
        try (InputStream in = Files.newInputStream(file)) {
            length = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new CsvFileException(given + ": cannot be read (" + e.getMessage() + ")");
        }
        if (length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
                || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE))) {
            throw new CsvFileException(given + ": UTF-16 text, not UTF-8 text: save the file as UTF-8 CSV and"
                    + " upload it again");
        }
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                throw new CsvFileException(given + ": binary content (a NUL byte at offset " + i + "): not a CSV"
                        + " text file. Export the sheet as UTF-8 CSV and upload that");
            }
        }
    }

    /**
     * The line of the first bytes that are not UTF-8. The reader decodes ahead of the line it parses, so its
     * position at the failure is not where the bad bytes are: the file is read again, line by line (a
     * newline byte never occurs inside a UTF-8 sequence).
     */
    private static String whereNotUtf8(Path given, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long number = 1;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int b = in.read(); ; b = in.read()) {
                if (b != -1 && b != '\n') {
                    line.write(b);
                    continue;
                }
                try {
                    decoder.reset().decode(ByteBuffer.wrap(line.toByteArray()));
                } catch (CharacterCodingException e) {
                    return "line " + number + " has bytes that are not UTF-8";
                }
                if (b == -1) {
                    return "the bytes that are not UTF-8 were not found again: did the file change while it was read?";
                }
                line.reset();
                number++;
            }
        } catch (IOException e) {
            throw new CsvFileException(given + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Control characters other than tab mean binary content, not text a person exported. */
    private static void checkText(Path file, List<String> fields, long line) {
        for (String field : fields) {
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    throw new CsvFileException(file + ": binary content on line " + line + " (character 0x"
                            + Integer.toHexString(c) + "): not a CSV text file");
                }
            }
        }
    }

}
