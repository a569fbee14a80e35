-- Which worker process runs (or ran) a partition of the apply step with remote workers: for status, and for
-- the logs of whoever looks into a partition later. One row per partition step execution; a partition that a
-- second worker took over (the first one died) names the second.
create table partition_worker (
    step_execution_id bigint       not null primary key,
    worker            varchar(300) not null,
    taken_at          timestamp    not null
);
