-- Invariant 1: at most one current assignment per learner, enforced by the database.
create unique index license_assignment_one_current on license_assignment (learner_id) where ended_at is null;
-- The current assignments of one org and type: seat counts, filters by license type, verify.
create index license_assignment_current_by_type on license_assignment (org_id, license_type) where ended_at is null;

-- Email is unique per org, case-insensitively; an external id, where given, names one learner per org.
create unique index learner_org_email on learner (org_id, lower(email));
create unique index learner_org_external_id on learner (org_id, external_id) where external_id is not null;

-- Invariant 3, enforced: usage history is append-only and assignments are never deleted, so prior
-- usage stays attributable to the license type under which it happened.
create function license_batch_forbid_history_rewrite() returns trigger language plpgsql as $$
begin
    raise exception '% on % is not allowed: usage history and license assignments are kept for reports',
        tg_op, tg_table_name using errcode = 'P0001';
end;
$$;
create trigger learning_activity_append_only before update or delete on learning_activity
    for each statement execute function license_batch_forbid_history_rewrite();
create trigger license_assignment_never_deleted before delete on license_assignment
    for each statement execute function license_batch_forbid_history_rewrite();

-- Uploads look learners up by email or external id across orgs too (to say LEARNER_IN_OTHER_ORG).
create index learner_email_any_org on learner (lower(email));
create index learner_external_id_any_org on learner (external_id) where external_id is not null;
