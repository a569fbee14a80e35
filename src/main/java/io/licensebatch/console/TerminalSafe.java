package io.licensebatch.console;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * What license-batch prints for a person, with the control characters that data may hold written out visibly
 * ({@code \x1b}, {@code \x0d}) rather than sent to the terminal: a learner's name, an org's name, a department or
 * a note comes from the database, and an escape sequence in one could clear the operator's screen, recolour or
 * rewrite what is shown, or with a carriage return make a line of output say something else. Line feeds and tabs
 * pass (license-batch's own output is made of them); every other C0 control character, DEL and the C1 controls do
 * not. Files written for machines or spreadsheets ({@code report --out}, JSON) are not filtered: there the format
 * quotes them.
 */
public final class TerminalSafe extends FilterWriter {

    private TerminalSafe(Writer out) {
        super(out);
    }

    /** A writer that prints to {@code out}, control characters written out, flushing at each line as picocli's. */
    public static PrintWriter around(Writer out) {
        return new PrintWriter(new TerminalSafe(out), true);
    }

    /** The text as {@link TerminalSafe} prints it. */
    public static String visible(String text) {
        StringBuilder visible = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isHidden(c)) {
                if (visible == null) {
                    visible = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                visible.append(String.format("\\x%02x", (int) c));
            } else if (visible != null) {
                visible.append(c);
            }
        }
        return visible == null ? text : visible.toString();
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
