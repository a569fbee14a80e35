package io.licensebatch.domain.outcome;

import io.licensebatch.cli.Cli;
import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.licensebatch.support.Processes.jdbc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A chunk's outcomes are written as they are, whatever their text holds (on PostgreSQL they go as COPY rows, where
 * a tab, newline, backslash or {@code \.} in a value would end a column, a row or the data if it were not
 * escaped), with nulls kept apart from empty text; and a second outcome for an item fails the whole chunk.
 */
class OutcomeGatewayTest {

    private static final List<String> HOSTILE = List.of("", " ", "\\N", "\\.", "a\tb", "line\nbreak", "cr\rlf\r\n",
            "back\\slash\\", "\\\\t", "quote\"'", "{\"array\",NULL}", "comma,semi;colon", "Ünïcödé 学习 🎓",
            "=cmd|' /C calc'!A0", "x".repeat(5_000), "tab\tat end\t", "\\\n");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void everyValueComesBackAsItWasWritten(String database) {
        JdbcTemplate jdbc = database("outcome_rows", database);
        OutcomeGateway outcomes = new OutcomeGateway(jdbc);
        Timestamp at = Timestamp.valueOf(LocalDateTime.of(2026, 12, 2, 13, 14, 15, 123_456_000));
        List<Outcome> written = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            String text = HOSTILE.get(i);
            String type = text.length() <= 64 ? text : "LONG"; // license types are at most 64 long
            written.add(new Outcome(i + 1, 7L, 1000L + i, (long) i, text, type, type, OutcomeStatus.FAILED, null,
                    "detail " + text, text, 5L, null, 3L));
        }
        written.add(new Outcome(100, null, null, null, null, null, null, OutcomeStatus.REJECTED,
                Reason.LEARNER_NOT_FOUND, null, null, null, null, null));

        outcomes.insert(11, 12, at, written);

        List<Outcome> read = jdbc.query("""
                select * from license_change_outcome where job_instance_id = 11 and job_execution_id = 12
                 order by item_no""", (rs, row) -> new Outcome(rs.getLong("item_no"),
                (Long) rs.getObject("org_id", Long.class), rs.getObject("learner_id", Long.class),
                rs.getObject("record_number", Long.class), rs.getString("identifier"),
                rs.getString("previous_license_type"), rs.getString("new_license_type"),
                OutcomeStatus.valueOf(rs.getString("status")),
                rs.getString("reason") == null ? null : Reason.valueOf(rs.getString("reason")), rs.getString("detail"),
                rs.getString("note"), rs.getObject("ended_assignment_id", Long.class),
                rs.getObject("new_assignment_id", Long.class), rs.getObject("source_execution_id", Long.class)));
        assertThat(read).containsExactlyElementsOf(written);
        assertThat(jdbc.queryForList("select distinct processed_at from license_change_outcome", Timestamp.class))
                .containsExactly(at);
        assertThat(outcomes.count(11)).isEqualTo(written.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aSecondOutcomeForAnItemFailsTheWholeChunk(String database) {
        JdbcTemplate jdbc = database("outcome_twice", database);
        OutcomeGateway outcomes = new OutcomeGateway(jdbc);
        Timestamp at = Timestamp.valueOf(LocalDateTime.of(2026, 12, 2, 13, 0));
        outcomes.insert(21, 22, at, List.of(reassigned(2)));

        assertThatThrownBy(() -> outcomes.insert(21, 23, at, List.of(reassigned(1), reassigned(2), reassigned(3))))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.queryForList("select item_no from license_change_outcome where job_instance_id = 21",
                Long.class)).containsExactly(2L);
    }

    private static Outcome reassigned(long itemNo) {
        return new Outcome(itemNo, 7L, 100 + itemNo, null, null, "LEARNING_PRO", "LEARNING_HUB",
                OutcomeStatus.REASSIGNED, null, null, "migrate", 1L, 2L, null);
    }

    private static JdbcTemplate database(String purpose, String database) {
        String db = database.equals("h2") ? TestDatabases.h2Url(purpose) + ";USER=sa" : TestDatabases.create(purpose);
        assertThat(Cli.execute("status", "--db", db)).isZero(); // the schema
        return jdbc(db);
    }
}
