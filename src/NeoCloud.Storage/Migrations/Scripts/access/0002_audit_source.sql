-- Relayed audit entries name the record they come from (source_id, e.g. fleet.transition:42). The unique index makes
-- "one audit record per source" a property of the table, not only of the appender; source_stream and source_seq split
-- the id so a relay finds where it got to with one indexed max().

alter table {access}.audit_log add column source_id text null;

alter table {access}.audit_log add column source_stream text null;

alter table {access}.audit_log add column source_seq bigint null;

create unique index access_audit_log_source on {access}.audit_log (source_id);

create index access_audit_log_source_seq on {access}.audit_log (source_stream, source_seq);
