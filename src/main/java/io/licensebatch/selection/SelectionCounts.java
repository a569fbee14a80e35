package io.licensebatch.selection;

import io.licensebatch.domain.assignment.Action;
import io.licensebatch.domain.outcome.OutcomeGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a job instance's selection holds, as a whole: how many items, whether it is complete, which orgs it
 * touches, what it would do to seats, and what a follow-up of the run would find (for completion, the guard,
 * status and the follow-up commands).
 */
@Repository
public class SelectionCounts {

    private static final String COUNT_RETRYABLE = """
            select count(*) from license_change_outcome o where o.job_instance_id = ? and %s
            """.formatted(OutcomeGateway.RETRYABLE);

    private static final String COUNT_CHANGED = """
            select count(*) from license_change_outcome where job_instance_id = ? and status in ('REASSIGNED', 'REVOKED')
            """;

    private static final String ORG_IDS = """
            select distinct org_id from selection_item where job_instance_id = ? and org_id is not null order by org_id
            """;

    private static final String TAKEN = """
            select items from selection_taken where job_instance_id = ?
            """;

    private static final String COUNT = """
            select count(*) from selection_item where job_instance_id = ?
            """;

    /** What the selection would do to seats: per org, where learners come from and where they go. */
    private static final String SEAT_IMPACT = """
            select org_id, expected_license_type as from_type, action, target_type, count(*) as learners
              from selection_item
             where job_instance_id = ? and rejection is null and action is not null and learner_id is not null
             group by org_id, expected_license_type, action, target_type
             order by org_id, expected_license_type, action, target_type
            """;

    /**
     * Per license type of one org: the learners that unfinished real runs (running, or stopped or killed mid-way)
     * are still to move onto it, each needing a seat ({@code pools}: what running jobs hold).
     */
    private static final String PENDING_ARRIVALS = """
            select s.target_type, count(*) as learners
              from selection_item s
             where s.org_id = ? and s.action = 'REASSIGN' and s.rejection is null and s.learner_id is not null
               and (s.expected_license_type is null or s.expected_license_type <> s.target_type)
               and s.job_instance_id in (
                   select e.job_instance_id
                     from batch_job_execution e
                     join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                                                      and p.parameter_name = 'request'
                     join change_request r on r.id = cast(p.parameter_value as bigint)
                    where e.status in ('STARTING', 'STARTED', 'STOPPING', 'STOPPED', 'UNKNOWN')
                      and r.dry_run = false
                      and e.job_execution_id = (select max(x.job_execution_id) from batch_job_execution x
                                                 where x.job_instance_id = e.job_instance_id))
               and not exists (select 1 from license_change_outcome o
                                where o.job_instance_id = s.job_instance_id and o.item_no = s.item_no)
             group by s.target_type
            """;

    public java.util.Map<String, Long> pendingArrivals(long orgId) {
        java.util.Map<String, Long> pending = new java.util.HashMap<>();
        jdbc.query(PENDING_ARRIVALS, rs -> {
            pending.put(rs.getString("target_type"), rs.getLong("learners"));
        }, orgId);
        return pending;
    }

    /** How many of the instance's outcomes a retry would pick up. */
    public long countRetryable(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT_RETRYABLE, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    /** How many learners the instance changed (what an undo would look at). */
    public long countChanged(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT_CHANGED, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    /** The organizations a selection touches. */
    public List<Long> orgIds(long jobInstanceId) {
        return jdbc.queryForList(ORG_IDS, Long.class, jobInstanceId);
    }

    /** How many items the job instance's completed selection holds; empty while it has none. */
    public java.util.OptionalLong taken(long jobInstanceId) {
        List<Long> items = jdbc.queryForList(TAKEN, Long.class, jobInstanceId);
        return items.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(items.get(0));
    }

    public long count(long jobInstanceId) {
        Long n = jdbc.queryForObject(COUNT, Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    public List<SeatImpact.Flow> seatFlows(long jobInstanceId) {
        List<SeatImpact.Flow> completed = completedHere.get(jobInstanceId);
        return completed != null ? completed : queryFlows(jobInstanceId);
    }

    /**
     * The seat flows of a selection being completed, in the completing transaction: kept for this process once
     * that transaction commits, since a taken selection never changes, so that the mass-change guard right after
     * does not aggregate the whole selection again (0.3 s at a million items).
     */
    public List<SeatImpact.Flow> seatFlowsAtCompletion(long jobInstanceId) {
        List<SeatImpact.Flow> flows = List.copyOf(queryFlows(jobInstanceId));
        completedHere.remove(jobInstanceId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    completedHere.put(jobInstanceId, flows);
                }
            });
        }
        return flows;
    }

    private List<SeatImpact.Flow> queryFlows(long jobInstanceId) {
        return jdbc.query(SEAT_IMPACT, (rs, row) -> new SeatImpact.Flow(rs.getLong("org_id"),
                rs.getString("from_type"), Action.valueOf(rs.getString("action")), rs.getString("target_type"),
                rs.getLong("learners")), jobInstanceId);
    }

    private final JdbcTemplate jdbc;
    /** The seat flows of the selections this process completed (see {@link #seatFlowsAtCompletion}). */
    private final Map<Long, List<SeatImpact.Flow>> completedHere = new ConcurrentHashMap<>();

    public SelectionCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }
}
