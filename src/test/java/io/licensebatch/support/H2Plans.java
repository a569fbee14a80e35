package io.licensebatch.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What H2 did to run a statement: its {@code explain analyze} text, and how many rows it scanned of a table. */
public final class H2Plans {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    private H2Plans() {
    }

    /** H2's {@code explain analyze} of {@code sql} with these parameters (it runs the statement). */
    public static String explainAnalyze(JdbcTemplate h2, String sql, Object... parameters) {
        return String.join("\n", h2.queryForList("explain analyze " + sql, String.class, parameters));
    }

    /** The rows H2 scanned over every table the statement read. */
    public static long scannedInAll(String plan) {
        return SCAN_COUNT.matcher(plan).results().mapToLong(match -> Long.parseLong(match.group(1))).sum();
    }

    /** The rows H2 scanned of the table aliased {@code alias} ({@code "public"."table" "alias"} in the plan). */
    public static long scanned(String plan, String table, String alias) {
        String from = "\"public\".\"" + table + "\"" + (alias == null ? "" : " \"" + alias + "\"");
        int at = plan.indexOf(from);
        assertThat(at).as("the plan reads %s:%n%s", from, plan).isNotNegative();
        Matcher count = SCAN_COUNT.matcher(plan);
        assertThat(count.find(at)).as("the plan counts the rows of %s it scanned:%n%s", from, plan).isTrue();
        return Long.parseLong(count.group(1));
    }
}
