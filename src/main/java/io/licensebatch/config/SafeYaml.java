package io.licensebatch.config;

import io.licensebatch.request.InvalidRequestException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads the YAML files operators review and keep in version control (job specs, rules files) so that what was
 * reviewed is what runs: plain data only (no type tags), a key given twice is refused instead of the last one
 * silently winning (a reviewer reads the first), no aliases of lists or maps (a list that contains itself, a
 * billion laughs), and no file larger than a reviewed file can be. Every refusal names the file and the line.
 */
public final class SafeYaml {

    /** Larger than any rules file of twenty thousand organizations; smaller than what would hurt. */
    static final long MAX_BYTES = 8L << 20;

    private SafeYaml() {
    }

    /** The file's document (maps, lists, text, true/false, null); refused with exit 2 if it is not one. */
    public static Object load(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidRequestException(file + ": no such " + what + (Files.isDirectory(file) ? " (it is a"
                    + " directory)" : ""));
        }
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidRequestException(file + ": " + Files.size(file) + " bytes, more than a " + what
                        + " can be (" + MAX_BYTES + ")");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidRequestException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        try {
            return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                    options, new TextResolver()).load(text);
        } catch (DuplicateKeyException e) {
            throw new InvalidRequestException(file + ": " + where(e.getProblemMark()) + "a key is given twice ("
                    + e.getProblem().replace("found duplicate key", "").strip() + "): the first one is what a reviewer"
                    + " reads, the last one what would run; keep one");
        } catch (MarkedYAMLException e) {
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            if (problem.contains("aliases for non-scalar nodes")) {
                throw new InvalidRequestException(file + ": " + where(e.getProblemMark()) + "an alias of a list or a"
                        + " section (*name): write the values out");
            }
            throw new InvalidRequestException(file + ": " + where(e.getProblemMark()) + "not valid YAML: "
                    + problem.lines().findFirst().orElse(""));
        } catch (YAMLException e) {
            String message = String.valueOf(e.getMessage());
            throw new InvalidRequestException(file + ": not valid YAML: " + (message.contains("aliases for non-scalar nodes")
                    ? "an alias of a list or a section (*name): write the values out"
                    : message.lines().findFirst().orElse("")));
        }
    }

    /**
     * Plain values are text, but for {@code true}, {@code false} and null (empty or {@code ~}): YAML 1.1's other
     * implicit types turn what a reviewer reads into something else. {@code 2026-02-30} became the 2nd of March and
     * {@code 2026-13-45} a day of 2027 (a timestamp, rolled over), a key {@code yes} or a country code {@code NO}
     * a boolean, {@code 0123} the number 83. The commands and rules read their values themselves, as they read
     * the command line, and refuse what is not one.
     */
    static final class TextResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }

    private static String where(Mark mark) {
        return mark == null ? "" : "line " + (mark.getLine() + 1) + ": ";
    }
}
