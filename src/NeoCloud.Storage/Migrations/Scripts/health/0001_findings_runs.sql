-- The Health context: findings, diagnoses and remediation runs. Each record is kept whole as a JSON document (read and
-- written whole); the columns beside it are only what listings filter and order on, and what guards a change.

create table {health}.findings (
    id {key} primary key,
    -- Null for findings about a switch, a PDU or a job.
    node {key},
    code {key} not null,
    detected_at {timestamp} not null,
    document text not null
);

-- Ids are sortable (id order is time order): listings walk these newest first.
create index health_findings_node on {health}.findings (node, id);
create index health_findings_code on {health}.findings (code, id);

create table {health}.diagnoses (
    id {key} primary key,
    at {timestamp} not null,
    -- With the findings it explains.
    document text not null
);

create table {health}.runs (
    id {key} primary key,
    -- At most one run per diagnosis: a retried create finds the first one.
    diagnosis_id {key} not null unique,
    step text not null,
    finished boolean not null,
    created_at {timestamp} not null,
    -- Optimistic concurrency: an update writes version v only over v - 1.
    version bigint not null,
    document text not null
);

create index health_runs_finished on {health}.runs (finished, id);

-- Every node a run fences, directly or through one of its GPUs: cooldowns, repeat offenders and per-node listings.
create table {health}.run_nodes (
    run_id {key} not null references {health}.runs (id),
    node {key} not null,
    primary key (node, run_id)
);

create index health_run_nodes_run on {health}.run_nodes (run_id);
