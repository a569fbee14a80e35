package io.licensebatch.cli;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job described in a YAML file under jobs/: the command and its options, kept in version control. The
 * keys are the command's option names without the dashes ({@code org}, {@code to}, {@code license-type},
 * ...); a {@code select:} section may group the selection options. The file becomes the same command
 * line an operator would type, so a spec and a command accept exactly the same things.
 */
final class JobSpec {

    /** Commands a spec may run: the ones that change licenses. */
    static final Set<String> RUNNABLE = Set.of("reassign", "revoke", "migrate");

    private JobSpec() {
    }

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
            selection.forEach((key, value) -> add(arguments, file, target, "select." + key, String.valueOf(key), value));
        }
        spec.forEach((key, value) -> add(arguments, file, target, key, key, value));
        return arguments;
    }

    private static void add(List<String> arguments, Path file, CommandSpec target, String where, String key,
            Object value) {
        String option = "--" + key;
        if (target.findOption(option) == null || option.equals("--help") || option.equals("--version")) {
            String known = target.options().stream().map(o -> o.longestName().substring(2))
                    .filter(o -> !o.equals("help") && !o.equals("version")).sorted()
                    .collect(Collectors.joining(", "));
            throw new UsageException(file + ": '" + where + "' is not an option of " + target.name() + "; known: "
                    + known);
        }
        if (value == null) {
            throw new UsageException(file + ": '" + where + "' has no value");
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
        arguments.add(option);
        arguments.add(value instanceof Collection<?> list
                ? list.stream().map(JobSpec::text).collect(Collectors.joining(","))
                : text(value));
    }

    /** A YAML value as the command line writes it: an unquoted date (YAML reads it as a UTC timestamp) as ISO. */
    private static String text(Object value) {
        if (value instanceof Date date) {
            LocalDateTime utc = LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
            return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? utc.toLocalDate().toString() : utc.toString();
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such job spec file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (!(document instanceof Map<?, ?> map)) {
                throw new UsageException(file + ": a job spec is a YAML mapping of option names to values"
                        + " (see jobs/README.md)");
            }
            return new java.util.LinkedHashMap<>((Map<String, Object>) map);
        } catch (YAMLException e) {
            throw new UsageException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read it: " + e.getMessage());
        }
    }
}
