-- One way in (issue 14): a request stores every flag of its own once, in columns of its own; the job
-- parameters name only the request.
alter table change_request add column note text;
alter table change_request add column transfer_seats boolean default false not null;
alter table change_request add column retire_source boolean default false not null;
alter table change_request add column fail_on_rejections boolean default false not null;
alter table change_request add column records bigint;
alter table change_request add column ignored_columns text;
alter table change_request add column rules_file text;
alter table change_request add column rules_sha256 varchar(64);
alter table change_request add column night date;
-- apply of a reviewed dry run: the plan's execution, applied at most once
alter table change_request add column plan_execution_id bigint;
create unique index change_request_plan_applied_once on change_request (plan_execution_id);
-- who let a change through the mass-change guard, and when (--confirm-large-change, a "y", apply of a plan)
alter table change_request add column confirmed_by text;
alter table change_request add column confirmed_at timestamp;

-- The flags earlier versions kept as options, moved into their columns.
update change_request set note = (select o.option_value from change_request_option o
                                   where o.request_id = change_request.id and o.name = 'note' and o.position = 0);
update change_request set records = (select cast(o.option_value as bigint) from change_request_option o
                                      where o.request_id = change_request.id and o.name = 'records'
                                        and o.position = 0);
update change_request set transfer_seats = true
 where exists (select 1 from change_request_option o where o.request_id = change_request.id
                  and o.name = 'transfer-seats' and o.option_value = 'true');
update change_request set retire_source = true
 where exists (select 1 from change_request_option o where o.request_id = change_request.id
                  and o.name = 'retire-source' and o.option_value = 'true');
delete from change_request_option where name in ('note', 'records', 'transfer-seats', 'retire-source');
