package io.licensebatch.job.reorganise;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.learner.LearnerGateway.Profiled;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.license.LicenseTypeGateway;
import io.licensebatch.domain.organization.OrganizationGateway;
import io.licensebatch.domain.rules.Target;
import io.licensebatch.domain.rules.RulesFile;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;

import org.springframework.batch.core.job.parameters.JobParameters;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nightly selection: every learner of the rules' organizations, evaluated against their org's rules
 * (plain Java, a page of learners at a time); only those whose current license differs from what the
 * rules give them (the drift) are selected. In one transaction.
 */
class SelectDriftTasklet extends SelectionTasklet {

    private static final int PAGE = 5000;

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
        RulesFile rules = RulesFile.load(Path.of(night.rulesFile()), licenseTypes.catalog(), organizations::find);
        if (!rules.sha256().equals(night.rulesSha256())) {
            throw new IllegalStateException(rules.file() + " changed since this night's run started: start the"
                    + " reorganisation again (a changed rules file is a new run)");
        }
        LocalDate date = night.date();
        long onlyOrg = request.orgId() == null ? 0 : request.orgId();
        List<Long> orgIds = new ArrayList<>();
        long itemNo = 0;
        for (RulesFile.OrgRules org : rules.organizations()) {
            if (onlyOrg != 0 && org.organization().id() != onlyOrg) {
                continue;
            }
            orgIds.add(org.organization().id());
            long afterId = 0;
            List<Profiled> page = learners.profiles(org.organization().id(), afterId, PAGE);
            while (!page.isEmpty()) {
                List<SelectionItem> drifted = new ArrayList<>();
                for (Profiled learner : page) {
                    Optional<Target> drift = org.rules().drift(learner.profile(), learner.currentType(), date);
                    if (drift.isPresent()) {
                        Target target = drift.get();
                        drifted.add(SelectionItem.drifted(++itemNo, org.organization().id(), learner.learnerId(),
                                target.isRevoke() ? Action.REVOKE : Action.REASSIGN, target.licenseType(),
                                learner.currentAssignmentId(), learner.currentType(), "reorganise " + date + ", "
                                + org.rules().because(learner.profile(), date)));
                    }
                }
                selection.insertItems(jobInstanceId, drifted);
                afterId = page.get(page.size() - 1).learnerId();
                page = learners.profiles(org.organization().id(), afterId, PAGE);
            }
        }
        return new Selected(itemNo, orgIds);
    }
}
