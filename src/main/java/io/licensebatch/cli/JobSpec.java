package io.licensebatch.cli;

import io.licensebatch.config.SafeYaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job described in a YAML file under jobs/: the command and its options, reviewed and kept in version
 * control. The keys are the command's option names without the dashes ({@code org}, {@code to},
 * {@code license-type}, ...); a {@code select:} section may group the selection options. The file becomes the
 * same command line an operator would type, so a spec and a command accept the same things, with three
 * exceptions that keep a reviewed file what it was: a spec does not choose the database (that is where it is
 * run: {@code --db} or the environment), a relative {@code csv:} path is the spec's folder's, and a value is a
 * plain value or a list of them. The file is read by {@link SafeYaml}: a key given twice is refused, and values
 * are the text written (a date too: the command reads it, and refuses 2026-02-30 as it does on the command line).
 */
final class JobSpec {

    /** Commands a spec may run: the ones that change licenses. */
    static final Set<String> RUNNABLE = Set.of("reassign", "revoke", "migrate");

    /** Options a spec may not set: not what is changed, but where, which the one who runs it decides. */
    static final Set<String> NOT_IN_A_SPEC = Set.of("db");

    private JobSpec() {
    }

    /** The command line the spec stands for. */
    static List<String> arguments(Path file, CommandLine root) {
        Map<String, Object> spec = load(file);
        Object command = spec.remove("command");
        if (!(command instanceof String name) || !RUNNABLE.contains(name)) {
            throw new UsageException(file + ": 'command' must be one of " + RUNNABLE.stream().sorted().toList()
                    + (command == null ? " (it is missing)" : ", not '" + command + "'"));
        }
        CommandSpec target = root.getSubcommands().get(name).getCommandSpec();
        List<String> arguments = new ArrayList<>(List.of(name));
        Object select = spec.remove("select");
        if (select != null) {
            if (!(select instanceof Map<?, ?> selection)) {
                throw new UsageException(file + ": 'select' must be a section of selection options");
            }
            selection.forEach((key, value) -> add(arguments, file, target, "select." + key, name(file, key), value));
        }
        spec.forEach((key, value) -> add(arguments, file, target, key, key, value));
        return arguments;
    }

    private static void add(List<String> arguments, Path file, CommandSpec target, String where, String key,
            Object value) {
        String option = "--" + key;
        if (NOT_IN_A_SPEC.contains(key)) {
            throw new UsageException(file + ": '" + where + "': a spec does not choose the database; run it"
                    + " against one with --db URL or LICENSE_BATCH_DB_URL");
        }
        if (target.findOption(option) == null || option.equals("--help") || option.equals("--version")) {
            String known = target.options().stream().map(o -> o.longestName().substring(2))
                    .filter(o -> !o.equals("help") && !o.equals("version") && !NOT_IN_A_SPEC.contains(o)).sorted()
                    .collect(Collectors.joining(", "));
            throw new UsageException(file + ": '" + where + "' is not an option of " + target.name() + "; known: "
                    + known);
        }
        if (value == null) {
            throw new UsageException(file + ": '" + where + "' has no value");
        }
        if (target.findOption(option).typeInfo().isBoolean() && !(value instanceof Boolean)) {
            throw new UsageException(file + ": '" + where + "' is a flag: true or false" + (String.valueOf(value)
                    .strip().matches("(?i)true|false") ? ", unquoted (\"" + value + "\" is text)" : ", not '" + value
                    + "'"));
        }
        if (value instanceof Boolean flag) {
            if (!target.findOption(option).typeInfo().isBoolean()) {
                throw new UsageException(file + ": '" + where + "' takes a value, not true/false");
            }
            if (flag) {
                arguments.add(option);
            }
            return;
        }
        if (value instanceof Map<?, ?>) {
            throw new UsageException(file + ": '" + where + "' must be a value or a list, not a section");
        }
        if (value instanceof Collection<?> list && list.stream().anyMatch(v -> v instanceof Collection<?>
                || v instanceof Map<?, ?> || v == null)) {
            throw new UsageException(file + ": '" + where + "' must be a list of plain values (not of lists,"
                    + " sections or empty values)");
        }
        arguments.add(option);
        String text = value instanceof Collection<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(value);
        if (key.equals("csv") && !Path.of(text).isAbsolute()) {
            text = file.toAbsolutePath().getParent().resolve(text).normalize().toString();
        }
        arguments.add(text);
    }

    /** An option's name as a key: text (a key true, false or empty is not one). */
    private static String name(Path file, Object key) {
        if (!(key instanceof String name)) {
            throw new UsageException(file + ": '" + key + "' is not an option name; a key names an option, such as"
                    + " dry-run: true");
        }
        return name;
    }

    private static Map<String, Object> load(Path file) {
        Object document = SafeYaml.load(file, "job spec file");
        if (!(document instanceof Map<?, ?> map)) {
            throw new UsageException(file + ": a job spec is a YAML mapping of option names to values"
                    + " (see jobs/README.md)");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        map.forEach((key, value) -> spec.put(name(file, key), value));
        return spec;
    }
}
