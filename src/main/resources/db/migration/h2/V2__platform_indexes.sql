-- H2 has no partial or expression indexes: generated columns carry the same rules.
-- Invariant 1: at most one current assignment per learner (NULLs do not collide in a unique index).
alter table license_assignment add column current_learner_id bigint
    generated always as (case when ended_at is null then learner_id end);
create unique index license_assignment_one_current on license_assignment (current_learner_id);
create index license_assignment_current_by_type on license_assignment (org_id, license_type, ended_at);

-- Email is unique per org, case-insensitively; an external id, where given, names one learner per org.
alter table learner add column email_lower text generated always as (lower(email));
create unique index learner_org_email on learner (org_id, email_lower);
create unique index learner_org_external_id on learner (org_id, external_id);
create index learner_email_any_org on learner (email_lower);
create index learner_external_id_any_org on learner (external_id);
