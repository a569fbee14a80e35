package io.licensebatch.domain.rules;

import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.organization.Organization;



import io.licensebatch.request.InvalidRequestException;
import io.licensebatch.config.SafeYaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A version-controlled rules file for the nightly reorganisation (format: jobs/README.md), loaded and
 * validated as a whole: every error names the file, the organization, the rule and the field.
 *
 * @param sha256 the file's fingerprint: the job instance is one rules file (as it is) and one date
 */
public record RulesFile(Path file, String sha256, List<OrgRules> organizations) {

    /** One organization's rules. */
    public record OrgRules(Organization organization, RuleSet rules) {
    }

    private static final Set<String> TOP = Set.of("organizations");
    private static final Set<String> ORG_KEYS = Set.of("organization", "rules", "default");
    private static final Set<String> RULE_KEYS = Set.of("name", "when", "license");
    private static final Set<String> CONDITIONS = new LinkedHashSet<>(List.of("department", "location", "group",
            "status", "inactive-since", "inactive-for-days"));

    /**
     * @param orgs given the org ids or names the file mentions, their lookup (one lookup for all of them: a
     *             platform's file names thousands)
     */
    public static RulesFile load(Path given, LicenseCatalog catalog,
            Function<Collection<String>, Function<String, Optional<Organization>>> orgs) {
        Path file = given.toAbsolutePath().normalize();
        Object document = SafeYaml.load(file, "rules file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidRequestException(given + ": cannot be read (" + e.getMessage() + ")");
        }
        Parser parser = new Parser(given, catalog, orgs);
        return new RulesFile(file, sha256(bytes), parser.organizations(document));
    }

    public Optional<OrgRules> forOrganization(long orgId) {
        return organizations.stream().filter(rules -> rules.organization().id() == orgId).findFirst();
    }

    private static final class Parser {
        private final Path file;
        private final LicenseCatalog catalog;
        private final Function<Collection<String>, Function<String, Optional<Organization>>> orgs;

        Parser(Path file, LicenseCatalog catalog,
                Function<Collection<String>, Function<String, Optional<Organization>>> orgs) {
            this.file = file;
            this.catalog = catalog;
            this.orgs = orgs;
        }

        List<OrgRules> organizations(Object document) {
            Map<?, ?> top = map(document, "the file", "a mapping with an 'organizations' list");
            keys(top, TOP, "the file");
            Object list = top.get("organizations");
            if (!(list instanceof List<?> entries) || entries.isEmpty()) {
                throw error("the file", "'organizations' must be a list with at least one organization");
            }
            Function<String, Optional<Organization>> lookup = orgs.apply(entries.stream()
                    .filter(entry -> entry instanceof Map<?, ?> map && map.get("organization") instanceof String)
                    .map(entry -> (String) ((Map<?, ?>) entry).get("organization")).toList());
            List<OrgRules> result = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                String position = "organizations[" + (i + 1) + "]";
                Map<?, ?> entry = map(entries.get(i), position, "a mapping with organization, rules and default");
                keys(entry, ORG_KEYS, position);
                String name = text(entry.get("organization"), position + ", organization");
                Organization organization = lookup.apply(name)
                        .orElseThrow(() -> error(position, "organization '" + name + "' does not exist"));
                String where = position + " (" + organization.name() + ")";
                if (!seen.add(organization.id())) {
                    throw error(where, "this organization has rules earlier in the file already");
                }
                List<Rule> rules = rules(entry.get("rules"), where);
                Target defaultTarget = entry.get("default") == null ? null
                        : target(entry.get("default"), where + ", default");
                if (rules.isEmpty() && defaultTarget == null) {
                    throw error(where, "no rules and no default: it would do nothing");
                }
                result.add(new OrgRules(organization, new RuleSet(organization.name(), rules, defaultTarget)));
            }
            return result;
        }

        private List<Rule> rules(Object value, String where) {
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw error(where, "'rules' must be a list");
            }
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Map<?, ?> rule = map(list.get(i), where + ", rule " + (i + 1), "a mapping with name, when and license");
                String name = rule.get("name") == null ? "rule " + (i + 1) : String.valueOf(rule.get("name"));
                String at = where + ", rule " + (i + 1) + " '" + name + "'";
                keys(rule, RULE_KEYS, at);
                if (rule.get("license") == null) {
                    throw error(at, "license is required: a license type or REVOKE");
                }
                Target target = target(rule.get("license"), at + ", license");
                if (rule.containsKey("when") && rule.get("when") == null) {
                    // "when:" with its conditions commented out would take every learner of the org: a rule for
                    // everyone leaves "when" out (or says so: when: {}).
                    throw error(at + ", when", "no conditions (commented out?): give at least one, or leave 'when'"
                            + " out for a rule that takes every learner");
                }
                Map<?, ?> when = rule.get("when") == null ? Map.of() : map(rule.get("when"), at + ", when",
                        "a mapping of conditions");
                for (Object key : when.keySet()) {
                    if (!CONDITIONS.contains(String.valueOf(key))) {
                        throw error(at + ", when." + key, "unknown condition; known: " + String.join(", ", CONDITIONS));
                    }
                    Object condition = when.get(key);
                    if (condition == null || (condition instanceof String text && text.isBlank())
                            || (condition instanceof Collection<?> values && (values.isEmpty() || values.stream()
                                    .anyMatch(v -> v == null || String.valueOf(v).isBlank())))) {
                        // Read as no condition, the rule would take every learner of the org (a template whose
                        // variable was empty); read as the empty text, it would quietly match nobody.
                        throw error(at + ", when." + key, "an empty value: give one, or leave the condition out");
                    }
                }
                rules.add(new Rule(name, strings(when.get("department"), at + ", when.department"),
                        strings(when.get("location"), at + ", when.location"),
                        strings(when.get("group"), at + ", when.group"), statuses(when.get("status"), at + ", when.status"),
                        date(when.get("inactive-since"), at + ", when.inactive-since"),
                        days(when.get("inactive-for-days"), at + ", when.inactive-for-days"), target));
            }
            return rules;
        }

        private Target target(Object value, String where) {
            String code = text(value, where).strip();
            if (code.equalsIgnoreCase("REVOKE")) {
                return Target.REVOKE;
            }
            String known = catalog.retiredByCode().keySet().stream()
                    .filter(type -> type.equalsIgnoreCase(code)).findFirst()
                    .orElseThrow(() -> error(where, "no license type '" + code + "'; known: "
                            + String.join(", ", catalog.retiredByCode().keySet()) + ", or REVOKE"));
            if (catalog.isRetired(known)) {
                throw error(where, known + " is retired: it cannot be given to anyone");
            }
            return new Target(known);
        }

        private Set<String> strings(Object value, String where) {
            if (value == null) {
                return Set.of();
            }
            Collection<?> values = value instanceof Collection<?> list ? list : List.of(value);
            Set<String> result = new LinkedHashSet<>();
            for (Object item : values) {
                if (item == null || item instanceof Map<?, ?> || item instanceof Collection<?>) {
                    throw error(where, "values must be text");
                }
                result.add(String.valueOf(item));
            }
            return result;
        }

        private Set<LearnerStatus> statuses(Object value, String where) {
            Set<LearnerStatus> statuses = new HashSet<>();
            for (String status : strings(value, where)) {
                try {
                    statuses.add(LearnerStatus.valueOf(status.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw error(where, "no learner status '" + status + "'; one of ACTIVE, PENDING, DEACTIVATED");
                }
            }
            return statuses;
        }

        private LocalDate date(Object value, String where) {
            if (value == null) {
                return null;
            }
            try {
                return LocalDate.parse(String.valueOf(value).strip());
            } catch (DateTimeParseException e) {
                throw error(where, "'" + value + "' is not a date like 2026-01-31");
            }
        }

        private Integer days(Object value, String where) {
            if (value == null) {
                return null;
            }
            if (value instanceof String text && text.strip().matches("[0-9]{1,9}")
                    && Integer.parseInt(text.strip()) > 0) {
                return Integer.parseInt(text.strip());
            }
            throw error(where, "'" + value + "' is not a number of days (a whole number above 0)");
        }

        private String text(Object value, String where) {
            if (value == null || value instanceof Map<?, ?> || value instanceof Collection<?>) {
                throw error(where, "a value is required");
            }
            return String.valueOf(value);
        }

        private Map<?, ?> map(Object value, String where, String expected) {
            if (!(value instanceof Map<?, ?> map)) {
                throw error(where, "must be " + expected);
            }
            return map;
        }

        private void keys(Map<?, ?> map, Set<String> known, String where) {
            for (Object key : map.keySet()) {
                if (!known.contains(String.valueOf(key))) {
                    throw error(where + ", " + key, "unknown field; known: " + String.join(", ", known.stream().sorted()
                            .toList()));
                }
            }
        }

        private InvalidRequestException error(String where, String what) {
            return new InvalidRequestException(file + ": " + where + ": " + what);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
