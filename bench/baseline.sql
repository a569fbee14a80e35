-- The set-based SQL baseline: the same change as
--   license-batch reassign --org ORG --to LEARNING_HUB --license-type LEARNING_PRO --status ACTIVE
-- in one transaction, with no validation, no seat checks, no checkpoints: end the current assignments,
-- start the new ones, move the seats, write an outcome per learner. The physical limit of this work on one
-- database. Run by bench/run.sh:  psql -v org_id=N -f bench/baseline.sql
\set ON_ERROR_STOP on
begin;

create temporary table moving on commit drop as
select a.id as assignment_id, a.learner_id, a.org_id,
       row_number() over (order by a.learner_id) as item_no
  from license_assignment a
  join learner l on l.id = a.learner_id
 where a.org_id = :org_id and a.license_type = 'LEARNING_PRO' and a.ended_at is null and l.status = 'ACTIVE';

update license_assignment a
   set ended_at = localtimestamp, end_reason = 'REASSIGNED', ended_by = 'baseline'
  from moving m
 where a.id = m.assignment_id;

insert into license_assignment (learner_id, org_id, license_type, assigned_at, assigned_by)
select learner_id, org_id, 'LEARNING_HUB', localtimestamp, 'baseline' from moving;

update license_pool
   set seats_used = seats_used + case license_type when 'LEARNING_HUB' then 1 else -1 end
                                 * (select count(*) from moving)
 where org_id = :org_id and license_type in ('LEARNING_PRO', 'LEARNING_HUB');

insert into license_change_outcome (job_instance_id, job_execution_id, item_no, org_id, learner_id,
       previous_license_type, new_license_type, status, processed_at)
select 0, 0, item_no, org_id, learner_id, 'LEARNING_PRO', 'LEARNING_HUB', 'REASSIGNED', localtimestamp
  from moving;

commit;
