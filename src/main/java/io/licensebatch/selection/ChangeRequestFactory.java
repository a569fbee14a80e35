package io.licensebatch.selection;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.learner.LearnerRef;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.CsvFileException;
import io.licensebatch.selection.csv.CsvUpload;
import org.springframework.stereotype.Component;

import java.nio.file.Path;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks what an operator asked for against the database and stores it as a {@link ChangeRequest}. Every
 * problem that can be found before a job starts is found here, with a message that says what to do
 * (exit 2, nothing changed): an unknown org or type, a retired target, a pool that does not exist, an
 * exclusion that names nobody.
 */
@Component
public class ChangeRequestFactory {

    private final OrganizationGateway organizations;
    private final LicenseTypeGateway licenseTypes;
    private final LearnerGateway learners;
    private final ChangeRequestGateway requests;

    public ChangeRequestFactory(OrganizationGateway organizations, LicenseTypeGateway licenseTypes,
            LearnerGateway learners, ChangeRequestGateway requests) {
        this.organizations = organizations;
        this.licenseTypes = licenseTypes;
        this.learners = learners;
        this.requests = requests;
    }

    /** A reassign (target given) or revoke (target null) of learners chosen by name or by filters. */
    public ChangeRequest learnersOrFilters(String org, Action action, String target, SelectionSpec spec, boolean dryRun,
            String note, String requestedBy) {
        Organization organization = organization(org);
        String targetType = action == Action.REASSIGN ? target(organization, target) : null;
        Map<String, List<String>> options = new LinkedHashMap<>();
        if (note != null && !note.isBlank()) {
            options.put("note", List.of(note.trim()));
        }
        boolean named = !spec.learners().isEmpty();
        if (named && (spec.hasFilters() || !spec.excludes().isEmpty())) {
            throw new InvalidRequestException("--learner names exactly the learners to change: it does not combine"
                    + " with filters or --exclude");
        }
        if (!named && !spec.hasFilters()) {
            throw new InvalidRequestException("choose the learners: --learner ID|EMAIL,..., --csv FILE, or at least"
                    + " one filter (--license-type, --status, --group, --department, --location, --inactive-since,"
                    + " --search); every learner of the org is --status ACTIVE,PENDING,DEACTIVATED");
        }
        String verb = action == Action.REASSIGN ? "reassign to " + targetType : "revoke";
        if (named) {
            options.put("learner", spec.learners().stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
            String description = verb + " in " + organization + ": " + options.get("learner").size()
                    + " named learner(s)";
            return requests.create(new ChangeRequest(0, RequestKind.LEARNERS, organization.id(), action, targetType,
                    null, null, null, null, null, dryRun, description, options), requestedBy);
        }
        LearnerFilter filter = filter(organization, spec);
        options.put(LearnerFilter.LICENSE_TYPE, filter.licenseTypes());
        options.put(LearnerFilter.STATUS, filter.statuses());
        options.put(LearnerFilter.GROUP, filter.groups());
        options.put(LearnerFilter.DEPARTMENT, filter.departments());
        options.put(LearnerFilter.LOCATION, filter.locations());
        if (filter.inactiveSince() != null) {
            options.put(LearnerFilter.INACTIVE_SINCE, List.of(filter.inactiveSince().toString()));
        }
        if (filter.search() != null) {
            options.put(LearnerFilter.SEARCH, List.of(filter.search()));
        }
        options.put(LearnerFilter.EXCLUDE_ID, filter.excludedLearnerIds().stream().map(String::valueOf).toList());
        options.values().removeIf(List::isEmpty);
        String description = verb + " in " + organization + ": " + filter.describe();
        return requests.create(new ChangeRequest(0, RequestKind.FILTER, organization.id(), action, targetType, null,
                null, null, null, null, dryRun, description, options), requestedBy);
    }

    /**
     * A reassign or revoke of the records of an uploaded CSV file. The file is checked as a whole first
     * (readable, UTF-8 text, a header with known columns and an identifier, at least one record); a
     * reassign needs a license_type column or a --to default.
     */
    public ChangeRequest csv(String org, Action action, String defaultTarget, SelectionSpec spec, boolean dryRun,
            String note, String requestedBy) {
        Organization organization = organization(org);
        if (!spec.learners().isEmpty() || spec.hasFilters() || !spec.excludes().isEmpty()) {
            throw new InvalidRequestException("--csv names the learners itself: it does not combine with --learner,"
                    + " filters or --exclude");
        }
        CsvUpload upload;
        try {
            upload = CsvUpload.check(Path.of(spec.csvFile()));
        } catch (CsvFileException e) {
            throw new InvalidRequestException(e.getMessage() + ". Nothing was changed.");
        }
        String targetType = null;
        if (action == Action.REASSIGN) {
            if (defaultTarget != null) {
                targetType = target(organization, defaultTarget);
            } else if (!upload.columns().has(CsvColumns.LICENSE_TYPE)) {
                throw new InvalidRequestException(spec.csvFile() + " has no license_type column: give the target"
                        + " with --to TYPE. Nothing was changed.");
            }
        } else if (defaultTarget != null) {
            throw new InvalidRequestException("--to is for reassign, not revoke");
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("records", List.of(String.valueOf(upload.records())));
        if (note != null && !note.isBlank()) {
            options.put("note", List.of(note.trim()));
        }
        String verb = action == Action.REVOKE ? "revoke"
                : "reassign" + (targetType == null ? " per record" : " (default: to " + targetType + ")");
        String description = verb + " in " + organization + ": upload " + upload.file() + " ("
                + upload.records() + " records)";
        return requests.create(new ChangeRequest(0, RequestKind.CSV, organization.id(), action, targetType, null, null,
                upload.file().toString(), upload.sha256(), upload.blocks().hashes(), dryRun, description, options), requestedBy);
    }

    /**
     * A new run over another run's leftovers ({@link RequestKind#RETRY_FAILED}) or changes
     * ({@link RequestKind#UNDO}); the selection is taken from that run's outcomes when the job starts.
     *
     * @param sourceExecutionId the run named by the operator
     * @param sourceOrgId       its org, or null when it spanned several
     */
    public ChangeRequest followUp(RequestKind kind, long sourceExecutionId, Long sourceOrgId, long learners,
            boolean dryRun, String requestedBy) {
        String what = kind == RequestKind.UNDO ? "undo" : "retry-failed";
        String scope = sourceOrgId == null ? "" : " in " + organizations.findById(sourceOrgId)
                .map(Organization::toString).orElse("org " + sourceOrgId);
        String description = what + " of execution " + sourceExecutionId + scope + ": " + learners + " learner(s)";
        return requests.create(new ChangeRequest(0, kind, sourceOrgId, null, null, null, sourceExecutionId, null, null,
                null, dryRun, description, Map.of()), requestedBy);
    }

    /**
     * A migration of everyone on one type to another, in one org or all. Checked first: both types exist,
     * they differ, the target is not retired, retiring the source (platform-wide) goes with --all-orgs, and
     * (without seat transfer) a single org has a target pool.
     */
    public ChangeRequest migrate(String from, String to, String org, boolean allOrgs, boolean transferSeats,
            boolean retireSource, boolean dryRun, String requestedBy) {
        if ((org == null) == !allOrgs) {
            throw new InvalidRequestException("choose the scope: --org ORG, or --all-orgs");
        }
        String source = knownType(from, "--from");
        String target = knownType(to, "--to");
        if (source.equals(target)) {
            throw new InvalidRequestException("--from and --to are both " + source);
        }
        if (licenseTypes.catalog().isRetired(target)) {
            throw new InvalidRequestException("license type " + target + " is retired: it cannot be a target");
        }
        if (retireSource && !allOrgs) {
            throw new InvalidRequestException("--retire-source retires " + source + " for every organization, and"
                    + " this migration moves one: migrate with --all-orgs, or leave --retire-source out until the"
                    + " last organization's migration");
        }
        Organization organization = org == null ? null : organization(org);
        if (organization != null && !transferSeats && !licenseTypes.catalog().hasPool(organization.id(), target)) {
            throw new InvalidRequestException(organization + " has no seat pool of " + target + ": create one, or"
                    + " use --transfer-seats to move the source seats along with the learners");
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("transfer-seats", List.of(String.valueOf(transferSeats)));
        options.put("retire-source", List.of(String.valueOf(retireSource)));
        String description = "migrate " + source + " to " + target + " in "
                + (organization == null ? "every organization" : organization.toString())
                + (transferSeats ? ", transferring seats" : "") + (retireSource ? ", then retire " + source : "");
        return requests.create(new ChangeRequest(0, RequestKind.MIGRATE, organization == null ? null : organization.id(),
                io.licensebatch.domain.assignment.Action.REASSIGN, target, source, null, null, null, null, dryRun, description,
                options), requestedBy);
    }

    /**
     * The request of one night's reorganisation: one per rules file (as it is), org and night, so that starting
     * the same night again finds the same request, and so the same job instance (resumed, or done already).
     */
    public ChangeRequest reorganise(Long orgId, String instanceKey, String description, boolean dryRun,
            String requestedBy) {
        return requests.findByInstanceKey(instanceKey).orElseGet(() -> {
            try {
                return requests.create(new ChangeRequest(0, RequestKind.REORGANISE, orgId, null, null, null, null,
                        null, null, null, dryRun, description, Map.of()), requestedBy, instanceKey);
            } catch (org.springframework.dao.DuplicateKeyException startedAtTheSameMoment) {
                return requests.findByInstanceKey(instanceKey).orElseThrow(() -> startedAtTheSameMoment);
            }
        });
    }

    public Organization organization(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new InvalidRequestException("--org is required: an organization id or name");
        }
        return organizations.find(idOrName).orElseThrow(() -> {
            List<Organization> known = organizations.findAll();
            String names = known.stream().limit(10).map(Organization::toString).collect(Collectors.joining(", "));
            return new InvalidRequestException("no organization '" + idOrName + "'"
                    + (known.isEmpty() ? "; the database has none yet (`license-batch demo` or `generate` adds some)"
                            : "; known: " + names + (known.size() > 10 ? ", ..." : "")));
        });
    }

    /** The target type's stored code; it must exist, not be retired, and have a pool in the org. */
    public String target(Organization organization, String target) {
        if (target == null || target.isBlank()) {
            throw new InvalidRequestException("--to is required: the license type to move the learners to");
        }
        String code = knownType(target, "--to");
        LicenseCatalog catalog = licenseTypes.catalog();
        if (catalog.isRetired(code)) {
            throw new InvalidRequestException("license type " + code + " is retired: it cannot be a target");
        }
        if (!catalog.hasPool(organization.id(), code)) {
            throw new InvalidRequestException(organization + " has no seat pool of " + code
                    + ": create one (license_pool) before moving learners to it");
        }
        return code;
    }

    public String knownType(String code, String option) {
        return licenseTypes.canonicalCode(code).orElseThrow(() -> new InvalidRequestException(option
                + ": no license type '" + code.trim() + "'; known: "
                + String.join(", ", licenseTypes.catalog().retiredByCode().keySet())));
    }

    private LearnerFilter filter(Organization organization, SelectionSpec spec) {
        List<String> types = new ArrayList<>();
        for (String type : spec.licenseTypes()) {
            types.add(type.trim().equalsIgnoreCase(LearnerFilter.NO_LICENSE) ? LearnerFilter.NO_LICENSE
                    : knownType(type, "--license-type"));
        }
        List<String> statuses = new ArrayList<>();
        for (String status : spec.statuses()) {
            String name = status.trim().toUpperCase(Locale.ROOT);
            if (Arrays.stream(LearnerStatus.values()).noneMatch(known -> known.name().equals(name))) {
                throw new InvalidRequestException("--status: no learner status '" + status.trim() + "'; one of "
                        + Arrays.toString(LearnerStatus.values()));
            }
            statuses.add(name);
        }
        LocalDate inactiveSince = null;
        if (spec.inactiveSince() != null) {
            try {
                inactiveSince = LocalDate.parse(spec.inactiveSince().trim());
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("--inactive-since: '" + spec.inactiveSince()
                        + "' is not a date like 2026-01-31");
            }
        }
        List<Long> excluded = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : spec.excludes()) {
            learners.find(name, organization.id())
                    .filter(learner -> learner.orgId() == organization.id())
                    .map(LearnerRef::id)
                    .ifPresentOrElse(excluded::add, () -> unknown.add(name.trim()));
        }
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("--exclude names no learner of " + organization + ": "
                    + String.join(", ", unknown) + ". Nothing was changed: check the names (a typo here would"
                    + " change a learner you meant to leave alone)");
        }
        return new LearnerFilter(types, statuses, trimmed(spec.groups()), trimmed(spec.departments()),
                trimmed(spec.locations()), inactiveSince, spec.search() == null ? null : spec.search().trim(),
                excluded);
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(value -> !value.isEmpty()).toList();
    }
}
