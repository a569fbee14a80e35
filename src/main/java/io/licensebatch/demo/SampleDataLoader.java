package io.licensebatch.demo;

import com.opencsv.CSVReaderHeaderAware;
import com.opencsv.exceptions.CsvValidationException;
import io.licensebatch.db.Sql;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loads the demo accounts from {@code sample-data/} (packaged into the jar) in one transaction: license
 * types, organizations, pools, learners with groups, their assignment history and usage. Seats used are
 * counted from the loaded assignments, so the pools start consistent.
 */
@Component
public class SampleDataLoader {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public SampleDataLoader(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** What was loaded. */
    public record Loaded(int organizations, int learners, int assignments, int activities) {
    }

    /** True when the sample organizations are in the database already. */
    public boolean isLoaded() {
        List<String> names = new ArrayList<>();
        read("organizations.csv", row -> names.add(row.get("name")));
        Integer found = jdbc.queryForObject("select count(*) from organization where name = ?", Integer.class,
                names.get(0));
        return found != null && found > 0;
    }

    public Loaded load() {
        return transaction.execute(status -> {
            read("license_types.csv", row -> jdbc.update("""
                    insert into license_type (code, name, retired) select ?, ?, ?
                     where not exists (select 1 from license_type where code = ?)
                    """, row.get("code"), row.get("name"), Boolean.parseBoolean(row.get("retired")), row.get("code")));
            Map<String, Long> orgIds = new HashMap<>();
            read("organizations.csv", row -> orgIds.put(row.get("name"), insert(
                    "insert into organization (name) values (?)", row.get("name"))));
            read("license_pools.csv", row -> jdbc.update("""
                    insert into license_pool (org_id, license_type, seats_total, seats_used) values (?, ?, ?, 0)
                    """, orgIds.get(row.get("organization")), row.get("license_type"),
                    Integer.parseInt(row.get("seats_total"))));
            Map<String, Long> learnerIds = new HashMap<>();
            read("learners.csv", row -> {
                long orgId = orgIds.get(row.get("organization"));
                long id = insert("""
                        insert into learner (org_id, email, external_id, display_name, status, department, location,
                                             last_active_at) values (?, ?, ?, ?, ?, ?, ?, ?)
                        """, orgId, row.get("email"), blankToNull(row.get("external_id")), row.get("display_name"),
                        row.get("status"), blankToNull(row.get("department")), blankToNull(row.get("location")),
                        time(row.get("last_active_at")));
                learnerIds.put(orgId + "/" + row.get("email"), id);
                for (String group : row.get("groups").split(";")) {
                    if (!group.isBlank()) {
                        jdbc.update("insert into learner_group (learner_id, group_name) values (?, ?)", id, group);
                    }
                }
            });
            Map<String, long[]> assignments = new HashMap<>();
            read("license_assignments.csv", row -> {
                long orgId = orgIds.get(row.get("organization"));
                long learnerId = learnerIds.get(orgId + "/" + row.get("email"));
                long id = insert("""
                        insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by,
                                                        ended_at, end_reason, ended_by) values (?, ?, ?, ?, ?, ?, ?, ?)
                        """, learnerId, orgId, row.get("license_type"), time(row.get("assigned_at")),
                        row.get("assigned_by"), time(row.get("ended_at")), blankToNull(row.get("end_reason")),
                        blankToNull(row.get("ended_by")));
                assignments.put(row.get("ref"), new long[] {id, learnerId});
            });
            List<Object[]> activities = new ArrayList<>();
            read("learning_activity.csv", row -> {
                long[] assignment = assignments.get(row.get("assignment_ref"));
                activities.add(new Object[] {assignment[1], assignment[0], row.get("content_id"),
                        Integer.parseInt(row.get("seconds_viewed")), time(row.get("occurred_at"))});
            });
            jdbc.batchUpdate("""
                    insert into learning_activity (learner_id, assignment_id, content_id, seconds_viewed, occurred_at)
                    values (?, ?, ?, ?, ?)
                    """, activities);
            jdbc.update("""
                    update license_pool set seats_used = (select count(*) from license_assignment a
                            where a.org_id = license_pool.org_id and a.license_type = license_pool.license_type
                              and a.ended_at is null)
                     where org_id in (select id from organization where name in (%s))
                    """.formatted(String.join(", ", orgIds.keySet().stream().map(n -> "?").toList())),
                    orgIds.keySet().toArray());
            return new Loaded(orgIds.size(), learnerIds.size(), assignments.size(), activities.size());
        });
    }

    private long insert(String sql, Object... parameters) {
        return Sql.insertReturningId(jdbc, sql, parameters);
    }

    private static void read(String file, Consumer<Map<String, String>> rows) {
        ClassPathResource resource = new ClassPathResource("sample-data/" + file);
        try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8);
             CSVReaderHeaderAware csv = new CSVReaderHeaderAware(reader)) {
            Map<String, String> row;
            while ((row = csv.readMap()) != null) {
                rows.accept(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample-data/" + file, e);
        } catch (CsvValidationException e) {
            throw new IllegalStateException("sample-data/" + file + " is not valid CSV: " + e.getMessage(), e);
        }
    }

    private static Timestamp time(String text) {
        return text == null || text.isBlank() ? null : Timestamp.valueOf(LocalDateTime.parse(text, TIME));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
