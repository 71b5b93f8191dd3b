-- The hash-chained audit log. sequence is assigned by the appender under the chain lock, not by the database,
-- because the sequence is part of what each record's hash covers.

create table {access}.audit_log (
    sequence bigint primary key,
    at {timestamp} not null,
    actor text not null,
    action text not null,
    target text not null,
    reason text not null,
    before_value text null,
    after_value text null,
    previous_hash text not null,
    hash text not null unique
);

create index access_audit_log_target on {access}.audit_log (target, sequence);
