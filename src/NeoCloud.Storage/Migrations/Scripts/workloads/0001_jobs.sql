-- The Workloads context: jobs and services, their event log, and the scheduling declarations (tenants, queues, cohorts).

create table {workloads}.jobs (
    id {key} primary key,
    kind text not null,
    name text not null,
    tenant {key} not null,
    queue {key} not null,
    -- Null when the submitter gave none; unique per tenant otherwise (nulls never collide on either backend).
    idempotency_key text,
    -- The spec as canonical JSON: read and written whole, compared whole for idempotent resubmission.
    spec text not null,
    state text not null,
    version bigint not null,
    attempt integer not null,
    retries_used integer not null,
    retry_budget integer not null,
    checkpoint_ticks bigint,
    checkpoint_at {timestamp},
    -- One entry per replica (node, GPU indices, milli-GPU) as JSON: always read and written with the job.
    placement text not null,
    submitted_at {timestamp} not null,
    started_at {timestamp},
    finished_at {timestamp},
    last_reason text not null
);

create unique index workloads_jobs_idempotency on {workloads}.jobs (tenant, idempotency_key);
create index workloads_jobs_tenant on {workloads}.jobs (tenant, id);
create index workloads_jobs_queue on {workloads}.jobs (queue, id);
create index workloads_jobs_state on {workloads}.jobs (state, id);
create index workloads_jobs_name on {workloads}.jobs (name, id);

-- The event log is the Workloads outbox: each row commits with the state change it records, seq orders them globally
-- (the audit relay and watch follow it).
create table {workloads}.events (
    seq {identity},
    job_id {key} not null references {workloads}.jobs (id),
    from_state text,
    to_state text not null,
    reason text not null,
    actor text not null,
    at {timestamp} not null,
    attempt integer not null,
    details text
);

create index workloads_events_job on {workloads}.events (job_id, seq);

create table {workloads}.declarations (
    kind text not null,
    name {key} not null,
    tenant {key},
    body text not null,
    version bigint not null,
    updated_at {timestamp} not null,
    primary key (kind, name)
);
