-- What a kill, a lost connection or a second process can no longer break (issue 12).

-- The partitions of a step, frozen once per job instance from the frozen selection (or the accepted upload):
-- each partition's worker reads its range here, by its step execution's name, so a partition's work never
-- depends on the execution context Spring Batch writes in a transaction of its own (a kill between the two
-- left partitions with an empty context, which every later restart copied).
create table partition_plan (
    job_instance_id bigint       not null,
    step_name       varchar(100) not null,
    position        int          not null,
    first_item      bigint       not null,
    last_item       bigint       not null,
    items           bigint       not null,
    primary key (job_instance_id, step_name)
);

-- Seats in selection order, whatever the timing: for a pool with fewer seats free when the selection was
-- taken than the learners who arrive in it, how many of those free seats each range of the apply step gives
-- out (to its first arrivals). A seat a range frees serves the arrivals after it in the same range.
create table partition_seat_budget (
    job_instance_id bigint       not null,
    step_name       varchar(100) not null,
    org_id          bigint       not null,
    license_type    varchar(64)  not null,
    initial_seats   int          not null,
    primary key (job_instance_id, step_name, org_id, license_type)
);

-- An upload's fingerprint: the SHA-256 of each 1 MiB block of the file as it was accepted, concatenated.
-- Staging reads the file through them, so no byte that differs from the accepted file is ever parsed.
alter table change_request add column csv_blocks text;

-- One job instance per request; a nightly reorganisation is one request per rules file (as it is), org
-- and night, found again by this key when the same night is started a second time.
alter table change_request add column instance_key varchar(200);
create unique index change_request_instance_key on change_request (instance_key);
