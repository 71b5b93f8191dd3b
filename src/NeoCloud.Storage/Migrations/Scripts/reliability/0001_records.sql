-- The Reliability context: incidents, runbook runs and declared manifests, one versioned record each. The body is the
-- record whole (JSON, or a manifest's YAML); the columns beside it are what listings filter and order on, and what
-- guards a change.

create table {reliability}.records (
    kind {key} not null,
    id {key} not null,
    -- Optimistic concurrency: an update writes version v only over v - 1.
    version bigint not null,
    status {key} not null,
    label {key} not null,
    -- Never changes after the create, so a listing's cursor stays valid while records are updated.
    created_at {timestamp} not null,
    updated_at {timestamp} not null,
    body text not null,
    primary key (kind, id)
);

-- Listings walk one kind newest first by (created_at, id), optionally within one status or one label.
create index reliability_records_created on {reliability}.records (kind, created_at, id);
create index reliability_records_status on {reliability}.records (kind, status, created_at, id);
create index reliability_records_label on {reliability}.records (kind, label, created_at, id);
