package io.licensebatch.job.change;

import io.licensebatch.domain.assignment.AssignmentGateway;
import io.licensebatch.domain.decision.SelectionItem;
import io.licensebatch.domain.learner.LearnerGateway;
import io.licensebatch.domain.learner.LearnerRef;
import io.licensebatch.domain.outcome.Reason;
import io.licensebatch.job.common.SelectionTasklet;
import io.licensebatch.request.ChangeRequest;
import io.licensebatch.request.ChangeRequestGateway;
import io.licensebatch.selection.SelectionCompletion;
import io.licensebatch.selection.SelectionSnapshot;

import org.springframework.batch.core.job.parameters.JobParameters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first step of a reassign or revoke: turns the request's filters (or its named learners) into the job
 * instance's selection snapshot (in the step's transaction; a large org's filter in ranges at once, see
 * {@link FilterSelection}) and prints the seat impact. A restart never runs it
 * again once it has completed: the job works on exactly the set the operator confirmed.
 */
class SelectLearnersTasklet extends SelectionTasklet {

    private final ChangeRequestGateway requests;
    private final SelectionSnapshot selection;
    private final LearnerGateway learners;
    private final AssignmentGateway assignments;
    private final FilterSelection filterSelection;

    SelectLearnersTasklet(ChangeRequestGateway requests, SelectionSnapshot selection, LearnerGateway learners,
            AssignmentGateway assignments, SelectionCompletion completion, FilterSelection filterSelection) {
        super(completion);
        this.filterSelection = filterSelection;
        this.requests = requests;
        this.selection = selection;
        this.learners = learners;
        this.assignments = assignments;
    }

    @Override
    protected Selected select(long jobInstanceId, JobParameters parameters) {
        ChangeRequest request = request(requests, parameters);
        String note = request.options().note();
        long selected;
        if (request.selection() instanceof ChangeRequest.Filters filters) {
            selected = filterSelection.insert(jobInstanceId, request, filters.filter(), note);
        } else if (request.selection() instanceof ChangeRequest.Named named) {
            List<SelectionItem> items = namedLearners(request, named.learners(), note);
            selection.insertItems(jobInstanceId, items);
            selected = items.size();
        } else {
            throw new IllegalStateException("request " + request.id() + " is a " + request.kind()
                    + " request, not one for the reassign/revoke job");
        }
        return new Selected(selected, List.of(request.orgId()));
    }

    /**
     * One item per named learner, in the order given. A name that finds nobody still gets an item (and
     * so an outcome: LEARNER_NOT_FOUND); a learner named twice is done once, the repeats are
     * DUPLICATE_RECORD.
     */
    private List<SelectionItem> namedLearners(ChangeRequest request, List<String> names, String note) {
        List<Optional<LearnerRef>> found = names.stream().map(name -> learners.find(name, request.orgId())).toList();
        Map<Long, AssignmentGateway.Current> current = assignments.current(
                found.stream().flatMap(Optional::stream).map(LearnerRef::id).toList());
        Set<Long> seen = new HashSet<>();
        List<SelectionItem> items = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Long learnerId = found.get(i).map(LearnerRef::id).orElse(null);
            Reason rejection = learnerId != null && !seen.add(learnerId) ? Reason.DUPLICATE_RECORD : null;
            AssignmentGateway.Current assignment = learnerId == null ? null : current.get(learnerId);
            items.add(SelectionItem.named(i + 1, request.orgId(), learnerId, names.get(i).trim(), request.action(),
                    request.targetType(), assignment == null ? null : assignment.id(),
                    assignment == null ? null : assignment.licenseType(), rejection, note));
        }
        return items;
    }
}
