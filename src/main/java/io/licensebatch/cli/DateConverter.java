package io.licensebatch.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Every date option ({@code --date}, {@code --since}, {@code --inactive-since}): an ISO date like 2026-01-31,
 * between 1970 and 2999 (a date beyond is a typo, and would fail the job later instead of the command now).
 */
class DateConverter implements ITypeConverter<LocalDate> {

    static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    static final LocalDate LATEST = LocalDate.of(2999, 12, 31);

    @Override
    public LocalDate convert(String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a date like 2026-01-31");
        }
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw new TypeConversionException(value + " is outside " + EARLIEST + " to " + LATEST
                    + "; a date like 2026-01-31");
        }
        return date;
    }
}
