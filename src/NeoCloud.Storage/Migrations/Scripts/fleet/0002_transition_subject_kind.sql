-- The transitions table is the Fleet context's outbox: each row commits with the state change it records, and seq
-- (the primary key) orders them globally. Relays need to know whether a subject is a node or a GPU without reading Fleet's other tables.

alter table {fleet}.transitions add column subject_kind text not null default 'node';

update {fleet}.transitions set subject_kind = 'gpu' where subject in (select id from {fleet}.gpus);
