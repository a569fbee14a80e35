package io.licensebatch.selection.csv;

import io.licensebatch.domain.assignment.Action;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what each upload record asks for. Identifiers are trimmed (emails are matched ignoring case
 * later); license types are trimmed and matched to known codes ignoring case; {@code REVOKE} in the
 * license_type column revokes. A record that cannot be understood is staged as malformed, with the reason,
 * never dropped: it gets a {@code REJECTED MALFORMED_RECORD} outcome with its record number.
 */
public final class UploadRecords {

    public static final String REVOKE = "REVOKE";

    /**
     * The longest license type code there can be (the platform's {@code license_type.code}, varchar(64)): a longer
     * cell names no type, and would not fit where the record is staged.
     */
    static final int MAX_TYPE_CODE = 64;

    private final CsvColumns columns;
    private final Action command;
    private final String defaultTarget;
    private final String defaultNote;
    private final Map<String, String> typesByUpperCase;

    /**
     * @param command          REVOKE for a revoke upload (every record revokes), REASSIGN for a reassign upload
     * @param defaultTarget    the --to type for records with no license_type, or null
     * @param typesByUpperCase the known type codes, keyed by their upper-case form
     */
    public UploadRecords(CsvColumns columns, Action command, String defaultTarget, String defaultNote,
            Map<String, String> typesByUpperCase) {
        this.columns = columns;
        this.command = command;
        this.defaultTarget = defaultTarget;
        this.defaultNote = defaultNote;
        this.typesByUpperCase = typesByUpperCase;
    }

    public StagedRecord stage(CsvRecord record) {
        if (record.isMalformed()) {
            return malformed(record, record.malformed());
        }
        List<String> fields = record.fields();
        String note = columns.value(fields, CsvColumns.REASON);
        note = note == null ? defaultNote : note;
        String column = null;
        String identifier = null;
        for (String candidate : CsvColumns.IDENTIFIERS) {
            identifier = columns.value(fields, candidate);
            if (identifier != null) {
                column = candidate;
                break;
            }
        }
        if (identifier == null) {
            return malformed(record, "no " + String.join(", ", CsvColumns.IDENTIFIERS.stream()
                    .filter(columns::has).toList()) + " value");
        }
        if (column.equals(CsvColumns.LEARNER_ID) && !identifier.matches("\\d{1,18}")) {
            return malformed(record, "learner_id '" + identifier + "' is not a number");
        }
        if (column.equals(CsvColumns.EMAIL) && !identifier.contains("@")) {
            return malformed(record, "email '" + identifier + "' is not an email address");
        }
        String requested = columns.value(fields, CsvColumns.LICENSE_TYPE);
        if (command == Action.REVOKE) {
            if (requested != null && !requested.equalsIgnoreCase(REVOKE)) {
                return malformed(record, "license_type '" + requested + "' in a revoke upload");
            }
            return new StagedRecord(record.number(), column, identifier, Action.REVOKE, null, note, null);
        }
        if (requested == null) {
            if (defaultTarget == null) {
                return malformed(record, "no license_type (and no --to default)");
            }
            return new StagedRecord(record.number(), column, identifier, Action.REASSIGN, defaultTarget, note, null);
        }
        if (requested.equalsIgnoreCase(REVOKE)) {
            return new StagedRecord(record.number(), column, identifier, Action.REVOKE, null, note, null);
        }
        if (requested.length() > MAX_TYPE_CODE) {
            return malformed(record, "license_type '" + requested.substring(0, MAX_TYPE_CODE) + "...' is "
                    + requested.length() + " characters long; a license type code has at most " + MAX_TYPE_CODE);
        }
        String upper = requested.toUpperCase(Locale.ROOT);
        return new StagedRecord(record.number(), column, identifier, Action.REASSIGN,
                typesByUpperCase.getOrDefault(upper, requested), note, null);
    }

    private StagedRecord malformed(CsvRecord record, String why) {
        String identifier = null;
        if (!record.isMalformed()) {
            for (String candidate : CsvColumns.IDENTIFIERS) {
                if (identifier == null) {
                    identifier = columns.value(record.fields(), candidate);
                }
            }
        }
        return new StagedRecord(record.number(), null, identifier, null, null, null,
                "record " + record.number() + " (line " + record.line() + "): " + why);
    }
}
