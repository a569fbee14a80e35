package io.licensebatch.selection.csv;

import java.util.List;

/**
 * One data record of an upload: its number (from 1; the header is not one; a quoted field spanning lines
 * stays one record), the line it starts on, and its fields, or why it could not be read.
 */
public record CsvRecord(long number, long line, List<String> fields, String malformed) {

    static CsvRecord of(long number, long line, List<String> fields) {
        return new CsvRecord(number, line, fields, null);
    }

    static CsvRecord malformed(long number, long line, String why) {
        return new CsvRecord(number, line, List.of(), why);
    }

    public boolean isMalformed() {
        return malformed != null;
    }
}
