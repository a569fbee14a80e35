package io.licensebatch.console;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What license-batch prints for a person, with the control characters that data may hold written out visibly
 * ({@code \x1b}, {@code \x0d}) rather than sent to the terminal: a learner's name, an org's name, a department or
 * a note comes from the database, and an escape sequence in one could clear the operator's screen, recolour or
 * rewrite what is shown, or with a carriage return make a line of output say something else. Line feeds and tabs
 * pass (license-batch's own output is made of them, and a CR that ends a line with its LF); every other C0 control
 * character, DEL and the C1 controls do not. A value placed in a line (a table cell, an org's or a learner's name)
 * goes through {@link #inline}, which writes out line feeds too. Data ({@code report}'s CSV or JSON on standard
 * output) is written as it is to a file or a pipe ({@link #forData}); files ({@code --out}) are never filtered.
 */
public final class TerminalSafe extends FilterWriter {

    private TerminalSafe(Writer out) {
        super(out);
    }

    /** A writer that prints to {@code out}, control characters written out, flushing at each line as picocli's. */
    public static PrintWriter around(Writer out) {
        return new Printer(new TerminalSafe(out), out);
    }

    /** What {@link #around} makes: it keeps the writer it filters, for data written to a file or a pipe. */
    private static final class Printer extends PrintWriter {
        private final Writer unfiltered;

        Printer(TerminalSafe filter, Writer unfiltered) {
            super(filter, true);
            this.unfiltered = unfiltered;
        }
    }

    /**
     * Where data goes as it is ({@code report}'s CSV or JSON on standard output): unfiltered when
     * standard output is a file or a pipe (the data is the data: a CSV's own CRLF line ends, a note's bytes), and
     * through the filter when it is a terminal, where an escape sequence in the data would be run.
     */
    public static PrintWriter forData(PrintWriter out) {
        if (out instanceof Printer printer && !standardOutputIsATerminal()) {
            return printer.unfiltered instanceof PrintWriter writer ? writer : new PrintWriter(printer.unfiltered, true);
        }
        return out;
    }

    /** Whether this process's standard output is a terminal (Linux: what file descriptor 1 is). */
    static boolean standardOutputIsATerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null; // no /proc: a console means both ends are a terminal
        }
    }

    /**
     * A value for one line (a table cell, a name in a sentence): every control character written out, line feeds
     * and tabs too, so that a name holding a line break cannot make a line of output of its own.
     */
    public static String inline(String text) {
        return text == null ? null : escaped(text, true);
    }

    /** The text as {@link TerminalSafe} prints it: line feeds and tabs pass, and a CR that ends a line with its LF. */
    public static String visible(String text) {
        return escaped(text, false);
    }

    private static String escaped(String text, boolean oneLine) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hidden = oneLine ? c < 0x20 || (c >= 0x7f && c <= 0x9f)
                    : isHidden(c) && !(c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
            if (hidden) {
                if (escaped == null) {
                    escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                escaped.append(String.format("\\x%02x", (int) c));
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    private static boolean isHidden(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    @Override
    public void write(int c) throws IOException {
        if (isHidden((char) c)) {
            out.write(String.format("\\x%02x", c));
        } else {
            out.write(c);
        }
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        write(new String(chars, offset, length), 0, length);
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        String visible = visible(text.substring(offset, offset + length));
        out.write(visible, 0, visible.length());
    }
}
