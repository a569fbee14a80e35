package io.licensebatch.selection.csv;

/** An upload refused as a whole (not CSV at all, wrong encoding, a bad header): nothing of it is staged. */
public class CsvFileException extends RuntimeException {

    public CsvFileException(String message) {
        super(message);
    }
}
