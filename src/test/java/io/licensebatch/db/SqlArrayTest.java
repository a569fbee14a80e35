package io.licensebatch.db;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, text and number arrays are bound in their text form: every value arrives as it was sent,
 * whatever characters it holds, and nulls stay nulls.
 */
class SqlArrayTest extends PostgresIntegrationTest {

    @Test
    void textArraysArriveExactlyAsSent() {
        List<String> values = Arrays.asList("plain", "", null, "NULL", "with \"quotes\"", "back\\slash\\",
                "a,b", "{braces}", "  spaced  ", "tab\tnew\nline", "unicode: Zoë, 東京, \uD83D\uDE00", "'single'");

        List<String> received = Sql.query(jdbc, "select v from unnest(?) with ordinality as t (v, n) order by n",
                (rs, row) -> rs.getString(1), SqlArray.texts(values));

        assertThat(received).containsExactlyElementsOf(values);
        assertThat(Sql.query(jdbc, "select pg_typeof(?)::text", (rs, row) -> rs.getString(1), SqlArray.texts(values)))
                .containsExactly("character varying[]");
    }

    @Test
    void numberArraysArriveExactlyAsSent() {
        List<Long> longs = Arrays.asList(Long.MIN_VALUE, -1L, 0L, null, Long.MAX_VALUE);
        List<Integer> ints = Arrays.asList(Integer.MIN_VALUE, null, 7, Integer.MAX_VALUE, 0);

        List<Object[]> received = Sql.query(jdbc, """
                select l, i from unnest(?, ?) with ordinality as t (l, i, n) order by n""",
                (rs, row) -> new Object[] {rs.getObject(1, Long.class), rs.getObject(2, Integer.class)},
                SqlArray.bigints(longs), SqlArray.integers(ints));

        assertThat(received.stream().map(pair -> pair[0]).toList()).containsExactlyElementsOf(longs);
        assertThat(received.stream().map(pair -> pair[1]).toList()).containsExactlyElementsOf(ints);
    }

    @Test
    void aColumnWithNoValuesIsSentEmptyAndUnnestPadsItWithNulls() {
        SqlArray noValues = SqlArray.texts(Arrays.asList(null, null, null)).emptyIfAllNull();
        SqlArray someValues = SqlArray.texts(Arrays.asList(null, "x", null)).emptyIfAllNull();

        assertThat(noValues.values()).isEmpty();
        assertThat(someValues.values()).containsExactly(null, "x", null);
        List<String> rows = Sql.query(jdbc, "select n || ':' || coalesce(a, '-') || ':' || coalesce(b, '-')"
                        + " from unnest(?, ?, ?) with ordinality as t (n, a, b, i) order by i",
                (rs, row) -> rs.getString(1), SqlArray.bigints(List.of(1L, 2L, 3L)), noValues, someValues);
        assertThat(rows).containsExactly("1:-:-", "2:-:x", "3:-:-");
    }

    @Test
    void anEmptyArrayIsEmpty() {
        assertThat(Sql.query(jdbc, "select cardinality(?)", (rs, row) -> rs.getInt(1), SqlArray.texts(List.of())))
                .containsExactly(0);
    }
}
