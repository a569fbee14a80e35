-- The set-based SQL baseline of a platform-wide migration: the same change as
--   license-batch migrate --from LEARNING_PRO --to LEARNING_HUB --all-orgs --transfer-seats
-- in one transaction, with no validation, no checkpoints: end every current LEARNING_PRO assignment, start a
-- LEARNING_HUB one, move each org's seats (used and total) from its PRO pool to its HUB pool, write an outcome per
-- learner. The physical limit of this work on one database. Run by bench/platform.sh:  psql -f bench/migrate-baseline.sql
\set ON_ERROR_STOP on
begin;

create temporary table moving on commit drop as
select a.id as assignment_id, a.learner_id, a.org_id,
       row_number() over (order by a.org_id, a.learner_id) as item_no
  from license_assignment a
 where a.license_type = 'LEARNING_PRO' and a.ended_at is null;

create temporary table moved_per_org on commit drop as
select org_id, count(*) as n from moving group by org_id;

update license_assignment a
   set ended_at = localtimestamp, end_reason = 'REASSIGNED', ended_by = 'baseline'
  from moving m
 where a.id = m.assignment_id;

insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
select learner_id, org_id, 'LEARNING_HUB', localtimestamp, 'baseline' from moving;

update license_pool p
   set seats_used = p.seats_used + case p.license_type when 'LEARNING_HUB' then m.n else -m.n end,
       seats_total = p.seats_total + case p.license_type when 'LEARNING_HUB' then m.n else -m.n end
  from moved_per_org m
 where p.org_id = m.org_id and p.license_type in ('LEARNING_PRO', 'LEARNING_HUB');

insert into license_change_outcome (job_instance_id, job_execution_id, item_no, org_id, learner_id,
       previous_license_type, new_license_type, status, processed_at)
select 0, 0, item_no, org_id, learner_id, 'LEARNING_PRO', 'LEARNING_HUB', 'REASSIGNED', localtimestamp
  from moving;

commit;
