package io.licensebatch.job.reorganise;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.learner.LearnerGateway.Profiled;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.rules.Target;
import io.licensebatch.domain.rules.RulesFile;
import io.licensebatch.domain.rules.ValuesSeen;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nightly selection: every learner of the rules' organizations, evaluated against their org's rules
 * (plain Java, a page of learners at a time); only those whose current license differs from what the
 * rules give them (the drift) are selected. In one transaction. Small orgs are read together, a page's worth
 * of learners per query, so that a platform of thousands of small orgs costs round trips by learners, not by
 * orgs (2,000 orgs of 100: 8,000 queries before); items are numbered in the rules' order of orgs either way.
 */
class SelectDriftTasklet extends SelectionTasklet {

    private static final int PAGE = 5000;

    /** How many conditions that no learner meets are said in full (a template's typo repeats in every org). */
    private static final int SHOWN_UNMATCHED = 20;

    private static final Logger log = LoggerFactory.getLogger(SelectDriftTasklet.class);

    private final LearnerGateway learners;
    private final SelectionSnapshot selection;
    private final LicenseTypeGateway licenseTypes;
    private final OrganizationGateway organizations;
    private final ChangeRequestGateway requests;

    SelectDriftTasklet(LearnerGateway learners, SelectionSnapshot selection, SelectionCompletion completion,
            LicenseTypeGateway licenseTypes, OrganizationGateway organizations, ChangeRequestGateway requests) {
        super(completion);
        this.requests = requests;
        this.learners = learners;
        this.selection = selection;
        this.licenseTypes = licenseTypes;
        this.organizations = organizations;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        ChangeRequest request = request(requests, parameters);
        ChangeRequest.Night night = request.selection(ChangeRequest.Night.class);
        RulesFile rules = RulesFile.load(Path.of(night.rulesFile()), licenseTypes.catalog(), organizations::finder);
        if (!rules.sha256().equals(night.rulesSha256())) {
            throw new IllegalStateException(rules.file() + " changed since this night's run started: start the"
                    + " reorganisation again (a changed rules file is a new run)");
        }
        LocalDate date = night.date();
        long onlyOrg = request.orgId() == null ? 0 : request.orgId();
        List<RulesFile.OrgRules> orgs = rules.organizations().stream()
                .filter(org -> onlyOrg == 0 || org.organization().id() == onlyOrg).toList();
        List<Long> orgIds = orgs.stream().map(org -> org.organization().id()).toList();
        Map<Long, Long> sizes = learners.countInOrgs(orgIds);
        Drift drift = new Drift(jobInstanceId, date);
        // Orgs in the rules' order; small ones read together, a page's worth at a time, a large one by pages.
        List<RulesFile.OrgRules> together = new ArrayList<>();
        long togetherLearners = 0;
        for (RulesFile.OrgRules org : orgs) {
            long size = sizes.getOrDefault(org.organization().id(), 0L);
            if (togetherLearners > 0 && togetherLearners + size > PAGE) {
                drift.ofSmallOrgs(together);
                together.clear();
                togetherLearners = 0;
            }
            if (size > PAGE) {
                drift.ofLargeOrg(org);
            } else {
                together.add(org);
                togetherLearners += size;
            }
        }
        drift.ofSmallOrgs(together);
        return new Selected(drift.itemNo, orgIds);
    }

    /** Selects the drifted learners of orgs, numbering them in the order they are given. */
    private final class Drift {

        private final long jobInstanceId;
        private final LocalDate date;
        private long itemNo;
        private int unmatched;

        Drift(long jobInstanceId, LocalDate date) {
            this.jobInstanceId = jobInstanceId;
            this.date = date;
        }

        void ofSmallOrgs(List<RulesFile.OrgRules> orgs) {
            if (orgs.isEmpty()) {
                return;
            }
            Map<Long, List<Profiled>> byOrg = learners.profilesOfOrgs(orgs.stream()
                    .map(org -> org.organization().id()).toList());
            List<SelectionItem> drifted = new ArrayList<>();
            for (RulesFile.OrgRules org : orgs) {
                ValuesSeen seen = new ValuesSeen();
                select(org, byOrg.get(org.organization().id()), drifted, seen);
                sayUnmatched(org, seen);
            }
            selection.insertItems(jobInstanceId, drifted);
        }

        void ofLargeOrg(RulesFile.OrgRules org) {
            ValuesSeen seen = new ValuesSeen();
            long afterId = 0;
            List<Profiled> page = learners.profiles(org.organization().id(), afterId, PAGE);
            while (!page.isEmpty()) {
                List<SelectionItem> drifted = new ArrayList<>();
                select(org, page, drifted, seen);
                selection.insertItems(jobInstanceId, drifted);
                afterId = page.get(page.size() - 1).learnerId();
                page = learners.profiles(org.organization().id(), afterId, PAGE);
            }
            sayUnmatched(org, seen);
        }

        /** Conditions no learner of the org meets by value (a typo, most often): said, the first few in full. */
        private void sayUnmatched(RulesFile.OrgRules org, ValuesSeen seen) {
            for (String line : seen.unmatched(org.rules())) {
                if (++unmatched <= SHOWN_UNMATCHED) {
                    log.warn("rules: {}, {}", org.organization(), line);
                } else if (unmatched == SHOWN_UNMATCHED + 1) {
                    log.warn("rules: more conditions that no learner meets; check the rules file with --dry-run");
                }
            }
        }

        private void select(RulesFile.OrgRules org, List<Profiled> profiles, List<SelectionItem> drifted,
                ValuesSeen seen) {
            for (Profiled learner : profiles) {
                seen.add(learner.profile());
                Optional<Target> drift = org.rules().drift(learner.profile(), learner.currentType(), date);
                if (drift.isPresent()) {
                    Target target = drift.get();
                    drifted.add(SelectionItem.drifted(++itemNo, org.organization().id(), learner.learnerId(),
                            target.isRevoke() ? Action.REVOKE : Action.REASSIGN, target.licenseType(),
                            learner.currentAssignmentId(), learner.currentType(), "reorganise " + date + ", "
                            + org.rules().because(learner.profile(), date)));
                }
            }
        }
    }
}
