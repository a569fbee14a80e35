package io.licensebatch.domain.decision;

import io.licensebatch.domain.license.LicenseCatalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Words for a person on why a learner was rejected, for the report's {@code detail} column: the
 * value that was asked for and what stood in the way (the unknown type as written, with the nearest known one; the
 * retired type; the missing pool). A rejection found while the selection was taken brings its own words (the
 * record's); a learner of another org gets no words about that org. A learner left unchanged gets none: its
 * reason says it all (ALREADY_ON_TARGET, NO_LICENSE_TO_REVOKE), and a large upload has hundreds of thousands.
 */
public final class DecisionDetail {

    private DecisionDetail() {
    }

    public static String of(Decision decision, Candidate candidate, LicenseCatalog catalog) {
        SelectionItem item = candidate.item();
        if (item.detail() != null || decision.reason() == null) {
            return item.detail();
        }
        String target = item.targetType();
        LearnerState learner = candidate.learner();
        return switch (decision.reason()) {
            case LEARNER_NOT_FOUND -> item.identifier() == null ? "no such learner"
                    : "no learner '" + item.identifier() + "' in this organization";
            case LEARNER_IN_OTHER_ORG -> "the learner belongs to another organization: not changed, not shown";
            case LEARNER_DEACTIVATED -> "the learner is deactivated: a deactivated learner gets no new license";
            case UNKNOWN_LICENSE_TYPE -> "no license type '" + target + "'" + nearest(target, catalog)
                    .map(known -> "; did you mean " + known + "?").orElse("");
            case LICENSE_TYPE_RETIRED -> target + " is retired: no one is moved onto it";
            case NO_POOL -> "this organization has no " + target + " seat pool (license-batch pools set --org ORG"
                    + " --type " + target + " --seats N creates one)";
            case CHANGED_CONCURRENTLY -> "the learner's license changed after the selection was taken (it was "
                    + (item.expectedLicenseType() == null ? "none" : item.expectedLicenseType()) + ", it is "
                    + (learner.currentType() == null ? "none" : learner.currentType()) + "); retry-failed picks it up";
            default -> null;
        };
    }

    /** The known type closest to a mistyped one, if one is close (an edit or two away, case aside). */
    static Optional<String> nearest(String typed, LicenseCatalog catalog) {
        if (typed == null || typed.isBlank()) {
            return Optional.empty();
        }
        String upper = typed.toUpperCase(Locale.ROOT);
        return catalog.retiredByCode().keySet().stream()
                .filter(code -> distance(upper, code.toUpperCase(Locale.ROOT)) <= Math.max(2, code.length() / 5))
                .min(Comparator.comparingInt((String code) -> distance(upper, code.toUpperCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /**
     * The known value closest to a mistyped one (a department, a location, a group), case aside, if one is close:
     * two edits away, or a quarter of a long value. Ties go to the first in alphabetical order.
     */
    public static Optional<String> closest(String typed, Collection<String> known) {
        String lower = typed.toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(value -> distance(value.toLowerCase(Locale.ROOT), lower) <= Math.max(2, typed.length() / 4))
                .min(Comparator.comparingInt((String value) -> distance(value.toLowerCase(Locale.ROOT), lower))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** Levenshtein distance, for the few dozen codes or names a typo is compared with. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
