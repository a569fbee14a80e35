package io.licensebatch.selection.csv;

import com.opencsv.ICSVParser;
import com.opencsv.RFC4180ParserBuilder;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Streams an upload record by record in constant memory: strict UTF-8 (a byte-order mark is skipped),
 * RFC 4180 quoting by opencsv's parser, CRLF or LF line ends, blank lines skipped.
 *
 * <p>Lines are fed to the parser one at a time (rather than through opencsv's CSVReader) so that a broken
 * record costs only itself: a quoted field that is never closed (or a record that spans lines and ends
 * with the wrong number of fields) is reported as malformed, and the lines it swallowed are read again as
 * records of their own. A quoted field may span up to {@value #MAX_LINES_PER_RECORD} lines.
 *
 * <p>Memory stays bounded whatever the file: a line longer than {@value #MAX_LINE_CHARACTERS} characters (a file
 * with no line breaks at all, say) is refused as a whole, naming the line, before more of it is read.
 */
public final class CsvRecordReader implements Closeable {

    static final int MAX_LINES_PER_RECORD = 100;

    /** 1 Mi characters: a thousand times a record's width, a millionth of a heap's. */
    static final int MAX_LINE_CHARACTERS = 1 << 20;

    private final Reader lines;
    private final char[] buffer = new char[1 << 16];
    private int buffered;
    private int position;
    private boolean pendingReturn;
    private int expectedFields;
    private final Deque<NumberedLine> replay = new ArrayDeque<>();
    private long lastLineNumber;
    private long recordNumber;
    private boolean header;
    private String headerProblem;

    /** A reader of the records; {@code expectedFields} is the header's width (0: not known yet). */
    CsvRecordReader(InputStream input, int expectedFields) {
        this.lines = new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        this.expectedFields = expectedFields;
    }

    /** The records of an accepted upload, read through its fingerprint: no byte that differs is parsed. */
    public static CsvRecordReader open(Path file, FileBlocks accepted) {
        try {
            return new CsvRecordReader(accepted.open(file), 0);
        } catch (IOException e) {
            throw new CsvFileException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads the header row (the first non-blank record) and expects its width from every data record; null
     * for a file with no records at all.
     */
    public List<String> header() throws CharacterCodingException {
        header = true;
        CsvRecord record = next();
        header = false;
        recordNumber = 0;
        if (record == null) {
            return null;
        }
        headerProblem = record.isMalformed() ? record.malformed() : null;
        expectedFields = record.fields().size();
        return record.fields();
    }

    /** Why the header line could not be read as fields (a quote problem), or null. */
    public String headerProblem() {
        return headerProblem;
    }

    /** The next data record, or null at the end of the file. */
    public CsvRecord next() throws CharacterCodingException {
        NumberedLine first = nextNonBlankLine();
        if (first == null) {
            return null;
        }
        long number = header ? 0 : ++recordNumber;
        if (first.text().indexOf('"') < 0) {
            // Most records quote nothing: splitting on commas is what the parser would do, minus its cost.
            List<String> fields = Arrays.asList(first.text().split(",", -1));
            if (expectedFields > 0 && fields.size() != expectedFields) {
                return CsvRecord.malformed(number, first.number(), fields.size() + " field(s), the header has "
                        + expectedFields);
            }
            return CsvRecord.of(number, first.number(), fields);
        }
        ICSVParser parser = new RFC4180ParserBuilder().build();
        List<NumberedLine> consumed = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        NumberedLine line = first;
        while (line != null) {
            consumed.add(line);
            // parseLineMulti returns the fields completed by this line: a pending field comes with the next
            fields.addAll(Arrays.asList(parse(parser, line.text())));
            if (!parser.isPending() || consumed.size() == MAX_LINES_PER_RECORD) {
                break;
            }
            line = nextLine();
        }
        if (parser.isPending()) {
            replayAfterFirst(consumed);
            return CsvRecord.malformed(number, first.number(), "a quoted field starting on line " + first.number()
                    + " is never closed (or has text after its closing quote, such as a space before the comma)");
        }
        boolean wrongWidth = expectedFields > 0 && fields.size() != expectedFields;
        if (wrongWidth && consumed.size() > 1) {
            replayAfterFirst(consumed);
            return CsvRecord.malformed(number, first.number(), "a quoted field starting on line " + first.number()
                    + " runs into the next lines");
        }
        if (wrongWidth) {
            return CsvRecord.malformed(number, first.number(), fields.size() + " field(s), the header has "
                    + expectedFields);
        }
        return CsvRecord.of(number, first.number(), fields);
    }

    /** The number of the last line read from the file. */
    public long lineNumber() {
        return lastLineNumber;
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replayAfterFirst(List<NumberedLine> consumed) {
        for (int i = consumed.size() - 1; i >= 1; i--) {
            replay.addFirst(consumed.get(i));
        }
    }

    private NumberedLine nextNonBlankLine() throws CharacterCodingException {
        NumberedLine line = nextLine();
        while (line != null && line.text().isBlank()) {
            line = nextLine();
        }
        return line;
    }

    private NumberedLine nextLine() throws CharacterCodingException {
        if (!replay.isEmpty()) {
            return replay.pollFirst();
        }
        try {
            String text = readLine();
            if (text == null) {
                return null;
            }
            lastLineNumber++;
            if (lastLineNumber == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            return new NumberedLine(lastLineNumber, text);
        } catch (CharacterCodingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The next line without its end (LF, CR LF or CR), or null at the end of the file; a line longer than
     * {@value #MAX_LINE_CHARACTERS} is refused before it is read further.
     */
    private String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position == buffered) {
                buffered = lines.read(buffer, 0, buffer.length);
                position = 0;
                if (buffered <= 0) {
                    buffered = 0;
                    return line == null ? null : line.toString();
                }
            }
            if (pendingReturn) {
                pendingReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < buffered && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int length = position - start;
            if ((line == null ? 0 : line.length()) + length > MAX_LINE_CHARACTERS) {
                throw new LineTooLong("line " + (lastLineNumber + 1) + " is longer than "
                        + String.format(java.util.Locale.ROOT, "%,d", MAX_LINE_CHARACTERS) + " characters: not a"
                        + " file of learner records (a record is a line; is this a CSV export?)");
            }
            if (position < buffered) {
                String text = line == null ? new String(buffer, start, length)
                        : line.append(buffer, start, length).toString();
                pendingReturn = buffer[position] == '\r';
                position++;
                return text;
            }
            if (line == null) {
                line = new StringBuilder(Math.max(16, length * 2));
            }
            line.append(buffer, start, length);
        }
    }

    private static String[] parse(ICSVParser parser, String text) {
        try {
            return parser.parseLineMulti(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record NumberedLine(long number, String text) {
    }

    /** A line beyond {@value #MAX_LINE_CHARACTERS} characters; the message says which, not in which file. */
    static final class LineTooLong extends CsvFileException {
        LineTooLong(String message) {
            super(message);
        }
    }
}
