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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.attribute.FileTime;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An upload checked as a whole before anything starts: readable, UTF-8 text (not binary), a header with
 * known columns and an identifier, at least one record. Reading it once also counts the records (for
 * progress) and fingerprints the file (a restart refuses a file that changed since).
 *
 * @param file    the absolute path
 * @param sha256  hex SHA-256 of the file's bytes
 * @param records data records (malformed ones included)
 */
public record CsvUpload(Path file, String sha256, CsvColumns columns, long records) {

    /**
     * The fingerprints this process has taken, by file. Each staging partition checks the file before it
     * reads it, seconds after the upload was checked: a file whose size and modification time have not
     * changed since is not hashed again (a pass over a 50 MB file costs about 0.4 s with the quick JIT).
     */
    private static final Map<Path, Fingerprint> FINGERPRINTS = new ConcurrentHashMap<>();

    private record Fingerprint(long size, FileTime modified, String sha256) {
    }

    /** Checks started ahead by {@link #checkAhead}, by the path they were started with (visible to tests). */
    static final Map<Path, CompletableFuture<CsvUpload>> AHEAD = new ConcurrentHashMap<>();

    /**
     * Starts {@link #check} on another thread, for a command that knows the file before it has started the
     * application (a million records take about 0.6 s, the application about 1 s): {@code check} then takes
     * its result if the file has not changed since. A failure is checked again, so it is reported as of then.
     */
    public static void checkAhead(Path given) {
        AHEAD.put(given, CompletableFuture.supplyAsync(() -> checkNow(given)));
    }

    /**
     * Checks the whole file (readable, UTF-8 text, not binary, a header with known columns, at least one
     * record) and takes its fingerprint; a {@link CsvFileException} says what is wrong, where.
     */
    public static CsvUpload check(Path given) {
        CompletableFuture<CsvUpload> ahead = AHEAD.remove(given);
        if (ahead != null) {
            try {
                CsvUpload checked = ahead.join();
                if (checked.sha256().equals(knownFingerprint(checked.file()))) {
                    return checked;
                }
            } catch (CompletionException e) {
                // Checked again below, as if nothing had been started: the failure may be stale too.
            }
        }
        return checkNow(given);
    }

    /** The fingerprint taken of the file as it is now (same size and time), or null. */
    private static String knownFingerprint(Path file) {
        Fingerprint known = FINGERPRINTS.get(file);
        if (known == null || !Files.isRegularFile(file)) {
            return null;
        }
        Fingerprint now = stat(file, null);
        return known.size() == now.size() && known.modified().equals(now.modified()) ? known.sha256() : null;
    }

    private static CsvUpload checkNow(Path given) {
        Path file = given.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new CsvFileException(given + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new CsvFileException(given + ": cannot be read (permissions)");
        }
        refuseBinary(given, file);
        Fingerprint before = stat(file, null);
        // The fingerprint is taken on another thread while this one parses: two passes over the file side by side.
        CompletableFuture<String> fingerprint = CompletableFuture.supplyAsync(() -> sha256Of(file));
        try (InputStream bytes = Files.newInputStream(file)) {
            CsvRecordReader reader = new CsvRecordReader(bytes, 0);
            List<String> header = reader.header();
            if (header == null) {
                throw new CsvFileException(given + ": the file is empty");
            }
            checkText(given, header, reader.lineNumber());
            CsvColumns columns = CsvColumns.of(given, header);
            long records = 0;
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                checkText(given, record.fields(), record.line());
                records++;
            }
            if (records == 0) {
                throw new CsvFileException(given + ": the header has no records under it");
            }
            String sha256 = join(fingerprint);
            Fingerprint after = stat(file, sha256);
            if (after.size() != before.size() || !after.modified().equals(before.modified())) {
                throw new CsvFileException(given + ": changed while it was being checked (is it still being"
                        + " written?): upload it again once it is complete");
            }
            return new CsvUpload(file, sha256, columns, records);
        } catch (CharacterCodingException e) {
            throw new CsvFileException(given + ": not UTF-8 text (" + whereNotUtf8(given, file)
                    + "): save the file as UTF-8 CSV and upload it again");
        } catch (IOException e) {
            throw new CsvFileException(given + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The columns of an upload that was checked before: its header only is read. */
    public static CsvColumns columnsOf(Path file) {
        try (CsvRecordReader reader = CsvRecordReader.open(file, 0)) {
            List<String> header = reader.header();
            if (header == null) {
                throw new CsvFileException(file + ": the file is empty");
            }
            return CsvColumns.of(file, header);
        } catch (CharacterCodingException e) {
            throw new CsvFileException(file + ": not UTF-8 text");
        }
    }

    /** The fingerprint of the file as it is now. */
    public static String sha256Of(Path given) {
        Path file = given.toAbsolutePath().normalize();
        String known = knownFingerprint(file);
        if (known != null) {
            return known;
        }
        Fingerprint now = stat(file, null);
        MessageDigest digest = newDigest();
        try (InputStream bytes = new DigestInputStream(Files.newInputStream(file), digest)) {
            bytes.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new CsvFileException(given + ": cannot be read (" + e.getMessage() + ")");
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        remember(file, now, sha256);
        return sha256;
    }

    private static <T> T join(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Keeps a fingerprint, if the file did not change while it was read. */
    private static void remember(Path file, Fingerprint before, String sha256) {
        Fingerprint after = stat(file, sha256);
        if (after.size() == before.size() && after.modified().equals(before.modified())) {
            FINGERPRINTS.put(file, after);
        }
    }

    private static Fingerprint stat(Path file, String sha256) {
        try {
            return new Fingerprint(Files.size(file), Files.getLastModifiedTime(file), sha256);
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

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
