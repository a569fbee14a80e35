package io.licensebatch.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps secrets out of what license-batch prints: a database URL carries a password as a parameter
 * ({@code ?password=...}) or in its authority ({@code //user:password@host}), and an option as
 * {@code -Dspring.datasource.password=...}; cron and Kubernetes keep every line printed. The password
 * is for {@code LICENSE_BATCH_DB_PASSWORD}, which nothing prints.
 */
public final class Secrets {

    static final String MASK = "***";

    /** The words that make a parameter or setting a secret, by its name. */
    private static final String SECRET_WORDS = "password|passwd|pwd|sslpassword|secret|token";

    private static final Pattern PARAMETER = Pattern.compile(
            "(?i)((?:" + SECRET_WORDS + ")\\s*=\\s*)([^&;\\s\"',)]+)");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(" + SECRET_WORDS + "|credential).*");
    private static final Pattern AUTHORITY = Pattern.compile("(//[^/:@\\s]+:)([^@/\\s]+)@");

    private Secrets() {
    }

    /** The text with every password it carries replaced by {@value #MASK}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PARAMETER.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MASK));
        return AUTHORITY.matcher(masked).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MASK + "@"));
    }

    /** Whether a setting or parameter of this name holds a secret (its value is never shown). */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** A command line as a shell reads it back (each argument quoted where it must be), its secrets masked. */
    public static String quotedCommandLine(List<String> arguments) {
        return arguments.stream().map(Secrets::mask).map(Secrets::quoted).collect(Collectors.joining(" "));
    }

    static String quoted(String argument) {
        if (!argument.isEmpty() && argument.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
