package io.licensebatch.launch;

import io.licensebatch.console.Numbers;
import io.licensebatch.config.LicenseBatchProperties;
import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.DecisionDetail;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.learner.LearnerRef;
import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.domain.license.LicenseCatalog;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.Organization;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.rules.RulesFile;
import io.licensebatch.request.ChangeOrder;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.request.InvalidRequestException;
import io.licensebatch.request.RequestKind;
import io.licensebatch.request.SelectionSpec;
import io.licensebatch.selection.LearnerFilter;
import io.licensebatch.selection.csv.CsvColumns;
import io.licensebatch.selection.csv.CsvFileException;
import io.licensebatch.selection.csv.CsvUpload;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks what an operator ordered against the database and stores it as a {@link ChangeRequest}: the first step
 * of the one way in. Every problem that can be found before a job starts is found here, with a message that
 * says what to do (exit 2, nothing changed): an unknown org or type, a retired target, a pool that does not
 * exist, an exclusion that names nobody, a file that is not an upload, a plan that cannot be applied.
 */
@Component
public class RequestResolver {

    /** The oldest a learner's last activity may be dated, and the latest: beyond them a date is a typo. */
    static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    static final LocalDate LATEST = LocalDate.of(2999, 12, 31);

    private final OrganizationGateway organizations;
    private final LicenseTypeGateway licenseTypes;
    private final LearnerGateway learners;
    private final ChangeRequestGateway requests;
    private final Executions executions;
    private final LicenseBatchProperties properties;

    public RequestResolver(OrganizationGateway organizations, LicenseTypeGateway licenseTypes, LearnerGateway learners,
            ChangeRequestGateway requests, Executions executions, LicenseBatchProperties properties) {
        this.organizations = organizations;
        this.licenseTypes = licenseTypes;
        this.learners = learners;
        this.requests = requests;
        this.executions = executions;
        this.properties = properties;
    }

    /** Checks the order and stores it as a request; throws {@link InvalidRequestException} when it cannot be. */
    public ChangeRequest resolve(ChangeOrder order) {
        ChangeRequest request;
        if (order instanceof ChangeOrder.Change change) {
            request = change.selection().csvFile() != null ? upload(change) : learnersOrFilters(change);
        } else if (order instanceof ChangeOrder.Migrate migrate) {
            request = migrate(migrate);
        } else if (order instanceof ChangeOrder.Reorganise night) {
            return reorganise(night);
        } else if (order instanceof ChangeOrder.FollowUp followUp) {
            request = followUp(followUp);
        } else if (order instanceof ChangeOrder.ApplyPlan plan) {
            request = plan(plan);
        } else {
            throw new IllegalArgumentException("an order of an unknown kind: " + order);
        }
        return requests.create(request);
    }

    /** A reassign (target given) or revoke (target null) of learners chosen by name or by filters. */
    private ChangeRequest learnersOrFilters(ChangeOrder.Change order) {
        Organization organization = organization(order.org());
        String targetType = order.action() == Action.REASSIGN ? target(organization, order.target()) : null;
        if (order.action() == Action.REVOKE && order.target() != null) {
            throw new InvalidRequestException("--to is for reassign, not revoke");
        }
        SelectionSpec spec = order.selection();
        refuseEmptyValues(spec);
        refuseAmbiguousNames(organization, "--learner", spec.learners());
        refuseAmbiguousNames(organization, "--exclude", spec.excludes());
        boolean named = !spec.learners().isEmpty();
        if (named && (spec.hasFilters() || !spec.excludes().isEmpty())) {
            throw new InvalidRequestException("--learner names exactly the learners to change: it does not combine"
                    + " with filters or --exclude");
        }
        if (!named && !spec.hasFilters()) {
            throw new InvalidRequestException("choose the learners: --learner ID|EMAIL|EXTERNAL_ID,..., --csv FILE, or at least"
                    + " one filter (--license-type, --status, --group, --department, --location, --inactive-since,"
                    + " --search); every learner of the org is --status ACTIVE,PENDING,DEACTIVATED");
        }
        String verb = order.action() == Action.REASSIGN ? "reassign to " + targetType : "revoke";
        ChangeOrder.How how = order.how();
        if (named) {
            List<String> names = spec.learners().stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            String description = verb + " in " + organization + ": " + plural(names.size(), "named learner");
            return new ChangeRequest(0, RequestKind.LEARNERS, organization.id(), order.action(), targetType,
                    new ChangeRequest.Named(names), options(how, false), description, how.requestedBy(), null);
        }
        LearnerFilter filter = filter(organization, spec);
        String description = verb + " in " + organization + ": " + filter.describe();
        return new ChangeRequest(0, RequestKind.FILTER, organization.id(), order.action(), targetType,
                new ChangeRequest.Filters(filter), options(how, false), description, how.requestedBy(), null);
    }

    /**
     * A reassign or revoke of the records of an uploaded CSV file. The file is checked as a whole first
     * (readable, UTF-8 text, a header with known columns and an identifier, at least one record); a
     * reassign needs a license_type column or a --to default.
     */
    private ChangeRequest upload(ChangeOrder.Change order) {
        Organization organization = organization(order.org());
        SelectionSpec spec = order.selection();
        if (!spec.learners().isEmpty() || spec.hasFilters() || !spec.excludes().isEmpty()) {
            throw new InvalidRequestException("--csv names the learners itself: it does not combine with --learner,"
                    + " filters or --exclude");
        }
        CsvUpload upload;
        try {
            upload = CsvUpload.check(Path.of(spec.csvFile()), order.how().ignoredColumns());
        } catch (CsvFileException e) {
            throw new InvalidRequestException(e.getMessage() + ". Nothing was changed.");
        }
        if (!order.how().dryRun() && !order.how().uploadAgain()) {
            requests.earlierUploadOf(organization.id(), upload.blocks().sha256()).ifPresent(earlier -> {
                throw new InvalidRequestException(upload.file() + " has the same content as the upload of request "
                        + earlier.id() + " (" + earlier.requestedAt().withNano(0) + ", " + earlier.description()
                        + "). Sent again, it would change nothing that run changed and reject again what it"
                        + " rejected: `license-batch status` shows that run (restart it if it did not finish). To"
                        + " run the same file again anyway: add --same-file-again. Nothing was changed.");
            });
        }
        String targetType = null;
        if (order.action() == Action.REASSIGN) {
            if (order.target() != null) {
                targetType = target(organization, order.target());
            } else if (!upload.columns().has(CsvColumns.LICENSE_TYPE)) {
                throw new InvalidRequestException(spec.csvFile() + " has no license_type column: give the target"
                        + " with --to TYPE. Nothing was changed.");
            }
        } else if (order.target() != null) {
            throw new InvalidRequestException("--to is for reassign, not revoke");
        }
        String verb = order.action() == Action.REVOKE ? "revoke"
                : "reassign" + (targetType == null ? " per record" : " (default: to " + targetType + ")");
        String description = verb + " in " + organization + ": upload " + upload.file() + " ("
                + plural(upload.records(), "record") + ")";
        return new ChangeRequest(0, RequestKind.CSV, organization.id(), order.action(), targetType,
                new ChangeRequest.Upload(upload.file().toString(), upload.blocks(), upload.records(),
                        upload.columns().ignored()), options(order.how(), false), description,
                order.how().requestedBy(), null);
    }

    /**
     * A migration of everyone on one type to another, in one org or all. Checked first: both types exist,
     * they differ, the target is not retired, retiring the source (platform-wide) goes with --all-orgs, and
     * (without seat transfer) a single org has a target pool.
     */
    private ChangeRequest migrate(ChangeOrder.Migrate order) {
        if ((order.org() == null) == !order.allOrgs()) {
            throw new InvalidRequestException("choose the scope: --org ORG, or --all-orgs");
        }
        String source = knownType(order.from(), "--from");
        String target = knownType(order.to(), "--to");
        if (source.equals(target)) {
            throw new InvalidRequestException("--from and --to are both " + source);
        }
        if (licenseTypes.catalog().isRetired(target)) {
            throw new InvalidRequestException("license type " + target + " is retired: it cannot be a target");
        }
        if (order.retireSource() && !order.allOrgs()) {
            throw new InvalidRequestException("--retire-source retires " + source + " for every organization, and"
                    + " this migration moves one: migrate with --all-orgs, or leave --retire-source out until the"
                    + " last organization's migration");
        }
        Organization organization = order.org() == null ? null : organization(order.org());
        if (organization != null && !order.transferSeats() && !licenseTypes.catalog().hasPool(organization.id(), target)) {
            throw new InvalidRequestException(organization + " has no seat pool of " + target + ": create one, or"
                    + " use --transfer-seats to move the source seats along with the learners");
        }
        String description = "migrate " + source + " to " + target + " in "
                + (organization == null ? "every organization" : organization.toString())
                + (order.transferSeats() ? ", transferring seats" : "")
                + (order.retireSource() ? ", then retire " + source : "");
        return new ChangeRequest(0, RequestKind.MIGRATE, organization == null ? null : organization.id(),
                Action.REASSIGN, target, new ChangeRequest.Migration(source, order.retireSource()),
                options(order.how(), order.transferSeats()), description, order.how().requestedBy(), null);
    }

    /**
     * One night's request: one per rules file (as it is), org and night, so that starting the same night again
     * finds the same request, and so the same job instance (resumed, or done already).
     */
    private ChangeRequest reorganise(ChangeOrder.Reorganise order) {
        RulesFile file = RulesFile.load(order.rules(), licenseTypes.catalog(), organizations::finder);
        LocalDate date = order.date() == null ? LocalDate.now() : order.date();
        refuseOddDate(date, "--date");
        Long orgId = null;
        if (order.org() != null) {
            Organization only = organization(order.org());
            if (file.forOrganization(only.id()).isEmpty()) {
                throw new InvalidRequestException("--org: " + order.rules() + " has no rules for " + only);
            }
            orgId = only.id();
        }
        ChangeOrder.How how = order.how();
        String scope = orgId == null ? named(file.organizations().stream().map(rules -> rules.organization().name())
                .toList()) : organizations.findById(orgId).orElseThrow().name();
        String key = RulesFile.sha256(("reorganise|" + file.file() + "|" + file.sha256() + "|" + date + "|"
                + (orgId == null ? "all" : orgId) + "|" + (how.dryRun() ? "dry-run" : "run"))
                .getBytes(StandardCharsets.UTF_8));
        ChangeRequest night = new ChangeRequest(0, RequestKind.REORGANISE, orgId, null, null,
                new ChangeRequest.Night(file.file().toString(), file.sha256(), date), options(how, false),
                "reorganise " + scope + " by " + file.file() + " for " + date, how.requestedBy(), null);
        return requests.findByInstanceKey(key).orElseGet(() -> {
            try {
                return requests.create(night, key);
            } catch (org.springframework.dao.DuplicateKeyException startedAtTheSameMoment) {
                return requests.findByInstanceKey(key).orElseThrow(() -> startedAtTheSameMoment);
            }
        });
    }

    /** How many orgs a run's description names: a platform's rules file lists thousands. */
    private static final int NAMED_ORGS = 5;

    /** "A, B and C", or the first few names and how many more. */
    static String named(List<String> names) {
        if (names.size() <= NAMED_ORGS) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMED_ORGS)) + " and " + Numbers.count(names.size() - NAMED_ORGS)
                + " more organizations";
    }

    /**
     * A new run over another run's leftovers (retry-failed) or changes (undo); the selection is taken from that
     * run's outcomes when the job starts. Refused for a dry run (it changed nothing), a retry of a run that has
     * not completed (restart it first) and an undo of a run that is still running.
     */
    private ChangeRequest followUp(ChangeOrder.FollowUp order) {
        Executions.Source source = executions.source(order.sourceExecutionId());
        String what = order.kind() == RequestKind.UNDO ? "undo" : "retry-failed";
        if (source.request().map(ChangeRequest::dryRun).orElse(false)) {
            throw new InvalidRequestException("execution " + order.sourceExecutionId() + " was a dry run: it changed"
                    + " nothing, so there is nothing to " + (order.kind() == RequestKind.UNDO ? "undo" : "retry")
                    + (order.kind() == RequestKind.UNDO ? "" : ". To carry the plan out: license-batch apply "
                    + order.sourceExecutionId()));
        }
        if (order.kind() == RequestKind.RETRY_FAILED && !source.completed()) {
            throw new InvalidRequestException("execution " + source.last().getId() + " has not completed ("
                    + source.last().getStatus() + "): finish it first with `license-batch restart "
                    + source.last().getId() + "`, then retry what failed");
        }
        if (order.kind() == RequestKind.UNDO && source.alive()) {
            throw new io.licensebatch.job.common.AlreadyRunningException("execution " + source.last().getId()
                    + " is running: stop it first (`license-batch stop " + source.last().getId() + "`), then undo it");
        }
        Long orgId = source.request().map(ChangeRequest::orgId).orElse(null);
        String scope = orgId == null ? "" : " in " + organizations.findById(orgId).map(Organization::toString)
                .orElse("org " + orgId);
        String description = what + " of execution " + order.sourceExecutionId() + scope;
        return new ChangeRequest(0, order.kind(), orgId, null, null,
                new ChangeRequest.FollowUp(order.sourceExecutionId()), options(order.how(), false), description,
                order.how().requestedBy(), null);
    }

    /**
     * The apply of a plan: a dry run that completed, not applied yet, not older than
     * {@code license-batch.plan-max-age}. It changes exactly the learners the plan would have changed, to the
     * targets it showed; the plan was reviewed, so it goes past the mass-change guard.
     */
    private ChangeRequest plan(ChangeOrder.ApplyPlan order) {
        Executions.Source source = executions.source(order.planExecutionId());
        ChangeRequest plan = source.request().orElseThrow(() -> new InvalidRequestException("execution "
                + order.planExecutionId() + " carries no request of license-batch's: it is not a plan"));
        long id = order.planExecutionId();
        if (!plan.dryRun()) {
            throw new InvalidRequestException("execution " + id + " was not a dry run: only a dry run is a plan to"
                    + " apply (`license-batch status " + id + "` shows what it changed)");
        }
        if (plan.kind() == RequestKind.PLAN) {
            throw new InvalidRequestException("execution " + id + " applies a plan itself");
        }
        if (!source.completed()) {
            throw new InvalidRequestException("plan " + id + " has not completed (" + source.last().getStatus()
                    + "): finish it first (`license-batch restart " + source.last().getId() + "`), review it, then"
                    + " apply it");
        }
        requests.applicationOf(source.last().getId()).or(() -> requests.applicationOf(id)).ifPresent(applied -> {
            throw new InvalidRequestException("plan " + id + " was applied already, by request " + applied
                    + ": a plan is applied once (`license-batch status` shows that run; a new dry run makes a new"
                    + " plan)");
        });
        LocalDateTime finished = source.last().getEndTime();
        Duration age = Duration.between(finished, LocalDateTime.now());
        if (age.compareTo(properties.planMaxAge()) > 0) {
            throw new InvalidRequestException("plan " + id + " is " + age.toHours() + " hours old, older than"
                    + " license-batch.plan-max-age (" + properties.planMaxAge().toHours() + " hours): the learners"
                    + " it saw may have changed since. Make a new dry run, review it, and apply that");
        }
        ChangeOrder.How how = order.how();
        ChangeOrder.How applied = new ChangeOrder.How(false, how.note() != null ? how.note() : plan.options().note(),
                how.failOnRejections(), true, List.of(), false, how.requestedBy());
        return new ChangeRequest(0, RequestKind.PLAN, plan.orgId(), plan.action(), plan.targetType(),
                new ChangeRequest.Plan(source.last().getId()), options(applied, plan.options().transferSeats()),
                "apply of plan " + source.last().getId() + ": " + plan.description(), how.requestedBy(), null);
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
                    + ": create one (`license-batch pools set --org " + organization.id() + " --type " + code
                    + " --seats N`) before moving learners to it");
        }
        return code;
    }

    public String knownType(String code, String option) {
        return licenseTypes.canonicalCode(code).orElseThrow(() -> new InvalidRequestException(option
                + ": no license type '" + code.trim() + "'; known: "
                + String.join(", ", licenseTypes.catalog().retiredByCode().keySet())));
    }

    private static ChangeRequest.Options options(ChangeOrder.How how, boolean transferSeats) {
        String note = how.note() == null || how.note().isBlank() ? null : how.note().trim();
        return new ChangeRequest.Options(how.dryRun(), transferSeats, note, how.failOnRejections());
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
            refuseOddDate(inactiveSince, "--inactive-since");
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
        refuseUnmatched(organization, "--department", LearnerGateway.Attribute.DEPARTMENT, spec.departments());
        refuseUnmatched(organization, "--location", LearnerGateway.Attribute.LOCATION, spec.locations());
        refuseUnmatched(organization, "--group", LearnerGateway.Attribute.GROUP, spec.groups());
        return new LearnerFilter(types, statuses, trimmed(spec.groups()), trimmed(spec.departments()),
                trimmed(spec.locations()), inactiveSince, spec.search() == null ? null : spec.search().trim(),
                excluded);
    }

    /**
     * An empty value ({@code --department ""}: in a script, {@code --department "$DEPT"} with the variable unset)
     * would filter on nothing: the selection would be wider than meant, up to every learner of the org. Refused,
     * whatever the option, rather than read as "no filter".
     */
    private static void refuseEmptyValues(SelectionSpec spec) {
        String wider = "it would filter on nothing, and select more learners than meant";
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("--learner", spec.learners());
        lists.put("--license-type", spec.licenseTypes());
        lists.put("--status", spec.statuses());
        lists.put("--group", spec.groups());
        lists.put("--department", spec.departments());
        lists.put("--location", spec.locations());
        lists.put("--search", spec.search() == null ? List.of() : List.of(spec.search()));
        lists.put("--exclude", spec.excludes());
        lists.forEach((option, values) -> {
            if (values.stream().anyMatch(String::isBlank)) {
                throw new InvalidRequestException(option + ": an empty value (an unset variable in a script?); "
                        + (option.equals("--learner") ? "it names nobody" : option.equals("--exclude")
                                ? "it un-checks nobody" : wider) + ". Give a value, or leave " + option + " out."
                        + " Nothing was changed");
            }
        });
    }

    /** A number or an email that is one learner's id or email and another's external id: which is meant is unknown. */
    public void refuseAmbiguousNames(Organization organization, String option, List<String> names) {
        for (String name : names) {
            learners.bothIdAndExternalId(name, organization.id()).ifPresent(both -> {
                boolean email = name.contains("@");
                throw new InvalidRequestException(option + " " + name.trim() + " names two learners of "
                        + organization + ": " + (email ? "the learner with that email (learner id " + both.get(0).id()
                        + ")" : "learner id " + both.get(0).id() + " (" + both.get(0).email() + ")") + " and the"
                        + " learner whose external id is " + name.trim() + " (learner id " + both.get(1).id() + ", "
                        + both.get(1).email() + "). Name the one you mean " + (email ? "by learner id" : "by email")
                        + ". Nothing was changed");
            });
        }
    }

    /**
     * A department, location or group no learner of the org has is a typo far more often than a wish to select
     * nobody (and in a list, it would quietly select fewer): refused, with the values the org has.
     */
    private void refuseUnmatched(Organization organization, String option, LearnerGateway.Attribute attribute,
            List<String> given) {
        List<String> values = trimmed(given);
        if (values.isEmpty()) {
            return;
        }
        List<String> known = learners.values(organization.id(), attribute);
        Set<String> knownLower = known.stream().map(value -> value.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
        for (String value : values) {
            if (!knownLower.contains(value.toLowerCase(Locale.ROOT))) {
                String nearest = DecisionDetail.closest(value, known)
                        .map(candidate -> " (did you mean " + candidate + "?)").orElse("");
                throw new InvalidRequestException(option + ": no learner of " + organization + " has "
                        + attribute.noun() + " '" + value + "'" + nearest + "; " + (known.isEmpty() ? "none of its"
                        + " learners has one" : "its " + attribute.noun() + "s: " + String.join(", ",
                        known.subList(0, Math.min(known.size(), 20))) + (known.size() > 20 ? ", ..." : ""))
                        + ". Nothing was changed");
            }
        }
    }

    /** A date far outside what learners' activity can be (year 999999999, BC) is a typo, not a filter. */
    static void refuseOddDate(LocalDate date, String option) {
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw new InvalidRequestException(option + ": " + date + " is outside " + EARLIEST + " to " + LATEST
                    + "; a date like 2026-01-31");
        }
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(value -> !value.isEmpty()).toList();
    }
}
