package io.licensebatch.db;

import org.postgresql.PGConnection;
import org.postgresql.util.PGobject;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;

/**
 * A typed array bound as one statement parameter. The hot path binds a whole chunk this way
 * ({@code = any(?)}, {@code unnest(?, ?, ...)}): one statement per table per chunk, never one per
 * learner, and pgjdbc only rewrites batched inserts, not updates.
 *
 * @param sqlType the element type as PostgreSQL names it ({@code bigint}, {@code varchar}, ...)
 */
public record SqlArray(String sqlType, Object[] values) {

    public static SqlArray bigints(Collection<Long> values) {
        return new SqlArray("bigint", values.toArray(new Long[0]));
    }

    public static SqlArray integers(Collection<Integer> values) {
        return new SqlArray("integer", values.toArray(new Integer[0]));
    }

    public static SqlArray texts(Collection<String> values) {
        return new SqlArray("varchar", values.toArray(new String[0]));
    }

    public static SqlArray timestamps(Collection<java.sql.Timestamp> values) {
        return new SqlArray("timestamp", values.toArray(new java.sql.Timestamp[0]));
    }

    /**
     * This array, or an empty one of the same type if every element is null: for a column of
     * {@code unnest(?, ?, ...)} beside a column that has values. unnest pads a shorter array with nulls to the
     * longest one's length (PostgreSQL and H2 alike), so the rows come out the same, and nothing is built,
     * sent or parsed for a column that has no values in a chunk (most of an outcome's optional columns).
     */
    public SqlArray emptyIfAllNull() {
        for (Object value : values) {
            if (value != null) {
                return this;
            }
        }
        return new SqlArray(sqlType, Arrays.copyOf(values, 0));
    }

    Array toJdbc(Connection connection) throws SQLException {
        return connection.createArrayOf(sqlType, values);
    }

    /**
     * The array in PostgreSQL's text form, {@code {"a","b",NULL}}, typed {@code sqlType[]}. pgjdbc's own
     * binary encoding of a text or number array writes each element through a synchronized stream, several
     * calls per element: for the chunk-sized arrays of the hot path that was 7-12% of the job's own CPU. The
     * text form is one string built in one pass, and the server parses it in C.
     */
    PGobject toPostgresText() throws SQLException {
        StringBuilder text = new StringBuilder(16 + values.length * 12).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            Object value = values[i];
            if (value == null) {
                text.append("NULL");
            } else if (value instanceof Long number) {
                text.append(number.longValue()); // digits written in place, no String per element
            } else if (value instanceof Number) {
                text.append(value);
            } else {
                String element = value.toString();
                text.append('"');
                if (element.indexOf('"') < 0 && element.indexOf('\\') < 0) {
                    text.append(element);
                } else {
                    for (int c = 0; c < element.length(); c++) {
                        char ch = element.charAt(c);
                        if (ch == '"' || ch == '\\') {
                            text.append('\\');
                        }
                        text.append(ch);
                    }
                }
                text.append('"');
            }
        }
        PGobject array = new PGobject();
        array.setType(switch (sqlType) { // pgjdbc looks array types up by their catalog names
            case "bigint" -> "_int8";
            case "integer" -> "_int4";
            default -> "_" + sqlType;
        });
        array.setValue(text.append('}').toString());
        return array;
    }

    /**
     * Binds the parameters in order: a {@link SqlArray} as an array (on PostgreSQL, text and number arrays in
     * their text form), anything else as an object.
     */
    public static PreparedStatement bind(Connection connection, PreparedStatement statement, Object... parameters)
            throws SQLException {
        boolean postgres = connection.isWrapperFor(PGConnection.class);
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter instanceof SqlArray array) {
                if (postgres && !(array.values instanceof java.sql.Timestamp[])) {
                    statement.setObject(i + 1, array.toPostgresText());
                } else {
                    statement.setArray(i + 1, array.toJdbc(connection));
                }
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
        return statement;
    }
}
