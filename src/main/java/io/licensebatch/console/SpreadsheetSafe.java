package io.licensebatch.console;

/**
 * Text that a spreadsheet will not run as a formula. Reports echo uploaded values (identifiers, notes),
 * and a cell that starts with {@code = + - @}, a tab or a carriage return is a formula to Excel and
 * LibreOffice: such a value is prefixed with a single quote, which they show as text.
 */
public final class SpreadsheetSafe {

    private SpreadsheetSafe() {
    }

    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return formula ? "'" + value : value;
    }
}
