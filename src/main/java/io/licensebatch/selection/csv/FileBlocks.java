package io.licensebatch.selection.csv;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An upload's fingerprint, block by block: the SHA-256 of each {@value #BLOCK_SIZE}-byte block of the file as it
 * was accepted. Staging reads the file through {@link #open}, which hands the parser a block only once its bytes
 * hash to what was accepted: whatever the file becomes while a run is under way or between its restarts
 * (rewritten in place at the same size, appended to, replaced), no byte that differs from the accepted file is
 * ever parsed, and so none is staged. A checksum of the whole file, checked once when a partition starts, would
 * not do: a partition reads the file for seconds after that.
 *
 * @param hashes the blocks' SHA-256 in order, hex, concatenated (64 characters per block)
 */
public record FileBlocks(String hashes) {

    /** 1 MiB: a 1,000,000-record upload has about 50 blocks. */
    static final int BLOCK_SIZE = 1 << 20;

    private static final int HEX = 64;

    /** The fingerprint of the whole upload: the SHA-256 of its block hashes. */
    public String sha256() {
        return hex(digest().digest(hashes.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    int blocks() {
        return hashes.length() / HEX;
    }

    /** A stream that takes the fingerprint of the bytes read through it: {@link Hashing#blocks()} at its end. */
    static Hashing hashing(InputStream in) {
        return new Hashing(in);
    }

    /** Hashes the bytes as they are read, block by block: the fingerprint of exactly what its reader read. */
    static final class Hashing extends FilterInputStream {
        private final MessageDigest digest = digest();
        private final StringBuilder hashes = new StringBuilder();
        private int inBlock;
        private boolean ended;

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                end();
            } else {
                digest.update((byte) b);
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int wanted) throws IOException {
            int n = in.read(buffer, offset, Math.min(wanted, BLOCK_SIZE - inBlock));
            if (n < 0) {
                end();
            } else {
                digest.update(buffer, offset, n);
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("every byte is hashed: read it");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** The fingerprint; the stream must have been read to its end. */
        FileBlocks blocks() {
            if (!ended) {
                throw new IllegalStateException("the fingerprint is taken once the file has been read to its end");
            }
            return new FileBlocks(hashes.toString());
        }

        private void counted(int n) {
            inBlock += n;
            if (inBlock == BLOCK_SIZE) {
                hashes.append(hex(digest.digest()));
                inBlock = 0;
            }
        }

        private void end() {
            if (!ended && inBlock > 0) {
                hashes.append(hex(digest.digest()));
                inBlock = 0;
            }
            ended = true;
        }
    }

    /** The file's bytes, each block checked against this fingerprint before any of it is read. */
    public InputStream open(Path file) throws IOException {
        return new Verified(Files.newInputStream(file), file);
    }

    private final class Verified extends FilterInputStream {
        private final Path file;
        private final MessageDigest digest = digest();
        private final byte[] block = new byte[BLOCK_SIZE];
        private int blockNo;
        private int length;
        private int position;
        private boolean ended;

        Verified(InputStream in, Path file) {
            super(in);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return block[position++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int wanted) throws IOException {
            if (wanted == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(wanted, length - position);
            System.arraycopy(block, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && fill()) {
                int step = (int) Math.min(n - skipped, length - position);
                position += step;
                skipped += step;
            }
            return skipped;
        }

        @Override
        public int available() {
            return length - position;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Makes sure the next unread byte is in a verified block; false at the end of the accepted file. */
        private boolean fill() throws IOException {
            if (position < length) {
                return true;
            }
            if (ended) {
                return false;
            }
            length = in.readNBytes(block, 0, BLOCK_SIZE);
            position = 0;
            if (length == 0) {
                ended = true;
                if (blockNo != blocks()) {
                    throw changed("it is shorter than the accepted file (" + blockNo + " of " + blocks()
                            + " blocks of 1 MiB)");
                }
                return false;
            }
            if (blockNo == blocks()) {
                throw changed("it is longer than the accepted file");
            }
            digest.update(block, 0, length);
            String expected = hashes.substring(blockNo * HEX, (blockNo + 1) * HEX);
            if (!hex(digest.digest()).equals(expected)) {
                throw changed("bytes " + ((long) blockNo * BLOCK_SIZE) + " to " + ((long) blockNo * BLOCK_SIZE + length)
                        + " differ from the accepted file");
            }
            blockNo++;
            return true;
        }

        private CsvFileException changed(String how) {
            return new CsvFileException(file + " changed since the upload was accepted (" + how + "): nothing of"
                    + " the changed file is staged or applied. Upload the file again as a new request");
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
