package io.licensebatch.selection.csv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The header of an upload: which known column sits where. Column names are matched case-insensitively,
 * surrounding spaces ignored. Known columns: {@code email}, {@code learner_id}, {@code external_id} (one
 * is enough), {@code license_type} (a type or the word REVOKE), {@code reason}.
 */
public record CsvColumns(Map<String, Integer> positions, int width, List<String> ignored) {

    public static final String EMAIL = "email";
    public static final String LEARNER_ID = "learner_id";
    public static final String EXTERNAL_ID = "external_id";
    public static final String LICENSE_TYPE = "license_type";
    public static final String REASON = "reason";

    /** Identifier columns, in the order they are tried when a record fills in more than one. */
    static final List<String> IDENTIFIERS = List.of(LEARNER_ID, EXTERNAL_ID, EMAIL);
    static final List<String> KNOWN = List.of(EMAIL, LEARNER_ID, EXTERNAL_ID, LICENSE_TYPE, REASON);

    /** Every column license-batch does not know, for {@code --ignore-columns '*'}. */
    public static final String EVERY_UNKNOWN = "*";

    /**
     * The header's columns; a column the operator said to ignore ({@code ignored}, names or
     * {@value #EVERY_UNKNOWN}) is left out, any other unknown one refuses the file.
     */
    static CsvColumns of(Path file, List<String> header, List<String> ignored) {
        List<String> ignore = normalized(ignored);
        Map<String, Integer> positions = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<Integer> unnamed = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                unnamed.add(i + 1);
            } else if (!KNOWN.contains(name)) {
                if (!ignore.contains(name) && !ignore.contains(EVERY_UNKNOWN)) {
                    unknown.add(header.get(i).strip());
                }
            } else if (positions.putIfAbsent(name, i) != null) {
                throw new CsvFileException(file + ": the header names column '" + name + "' twice");
            }
        }
        if (positions.isEmpty() && unknown.isEmpty() && unnamed.isEmpty()) {
            throw new CsvFileException(file + ": the header names no column license-batch knows (it reads: "
                    + abbreviate(String.join(",", header)) + "); known: " + String.join(", ", KNOWN));
        }
        if (positions.isEmpty() && header.stream().anyMatch(CsvColumns::looksLikeData)) {
            throw new CsvFileException(file + ": no header row: the first line must name the columns, e.g."
                    + " email,license_type,reason (it reads like a record: " + abbreviate(String.join(",", header))
                    + ")");
        }
        if (positions.isEmpty() && !unknown.isEmpty()) {
            throw new CsvFileException(file + ": the header names no column license-batch knows, only "
                    + abbreviate(String.join(", ", unknown)) + " (known: " + String.join(", ", KNOWN) + "; the"
                    + " identifier is email, learner_id or external_id)");
        }
        if (!unnamed.isEmpty()) {
            boolean last = unnamed.get(unnamed.size() - 1) == header.size();
            throw new CsvFileException(file + ": column(s) " + unnamed.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + " of the header have no name"
                    + (last ? " (a comma at the end of the header line?)" : "") + ": remove them, or name them"
                    + " (known: " + String.join(", ", KNOWN) + ")");
        }
        if (!unknown.isEmpty()) {
            throw new CsvFileException(file + ": unknown column(s) in the header: " + String.join(", ", unknown)
                    + "; known: " + String.join(", ", KNOWN) + ". An export with more columns: --ignore-columns "
                    + String.join(",", unknown) + " (or --ignore-columns '*' for every unknown one)");
        }
        if (IDENTIFIERS.stream().noneMatch(positions::containsKey)) {
            throw new CsvFileException(file + ": no identifier column: the header needs email, learner_id or"
                    + " external_id");
        }
        return new CsvColumns(positions, header.size(), ignore);
    }

    /** An email, a number: a value, not a column's name (the file has no header row). */
    private static boolean looksLikeData(String field) {
        String value = field.strip();
        return value.contains("@") || value.matches("\\d+");
    }

    static List<String> normalized(List<String> names) {
        return names.stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty())
                .toList();
    }

    public boolean has(String column) {
        return positions.containsKey(column);
    }

    /** The record's value in the column, stripped; null when the column is absent or the value blank. */
    public String value(List<String> fields, String column) {
        Integer position = positions.get(column);
        if (position == null) {
            return null;
        }
        String value = fields.get(position).strip();
        return value.isEmpty() ? null : value;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
