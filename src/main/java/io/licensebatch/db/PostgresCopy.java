package io.licensebatch.db;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringReader;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN}, in its text format (tab between columns, newline after a
 * row, {@code \N} for null, backslash escapes), sent through pgjdbc's copy API on the current transaction's
 * connection. For the hot path's bulk inserts: the server reads a row far cheaper than it unnests arrays.
 *
 * <p>Any text goes in as it is: a backslash, tab, newline or carriage return in a value is escaped, so a value
 * can never end a column or a row, nor the data ({@code \.}).
 */
public final class PostgresCopy {

    private static final int BUFFER_CHARS = 64 * 1024;

    private final StringBuilder rows;
    private boolean rowStarted;

    public PostgresCopy(int expectedChars) {
        this.rows = new StringBuilder(Math.max(64, expectedChars));
    }

    public PostgresCopy value(Long value) {
        separate();
        if (value == null) {
            rows.append("\\N");
        } else {
            rows.append(value.longValue());
        }
        return this;
    }

    public PostgresCopy value(long value) {
        separate();
        rows.append(value);
        return this;
    }

    public PostgresCopy text(String value) {
        separate();
        if (value == null) {
            rows.append("\\N");
            return this;
        }
        int length = value.length();
        int i = 0;
        while (i < length && !needsEscape(value.charAt(i))) {
            i++;
        }
        if (i == length) { // almost every value: appended in one copy, not a char at a time
            rows.append(value);
            return this;
        }
        rows.append(value, 0, i);
        for (; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return this;
    }

    /** A backslash, or a control character (among them the tab, newline and carriage return that need escaping). */
    private static boolean needsEscape(char c) {
        return c < ' ' || c == '\\';
    }

    public PostgresCopy endRow() {
        rows.append('\n');
        rowStarted = false;
        return this;
    }

    /**
     * Sends the rows with {@code copySql} ({@code copy table (columns) from stdin}), all of them or none (a
     * failure is the statement's: the caller's transaction or savepoint rolls it back).
     */
    public void into(JdbcTemplate jdbc, String copySql) {
        if (rowStarted) {
            throw new IllegalStateException("a row was begun but not ended");
        }
        jdbc.execute((ConnectionCallback<Long>) connection -> {
            try {
                // pgjdbc encodes the characters a buffer at a time: the rows are not copied again as bytes.
                return connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(copySql, new StringReader(rows.toString()), BUFFER_CHARS);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // reading a string in memory: cannot happen
            }
        });
    }

    private void separate() {
        if (rowStarted) {
            rows.append('\t');
        }
        rowStarted = true;
    }
}
