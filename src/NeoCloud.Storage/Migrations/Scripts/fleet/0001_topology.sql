-- The fleet of record: hardware, fabric and lifecycle history.
-- {key} is an id column that sorts by ordinal (byte) order on every backend, so keyset pages agree with NodeId ordering.

create table {fleet}.fleets (
    id integer primary key check (id = 1),
    name text not null
);

create table {fleet}.regions (
    id {key} primary key,
    display_name text not null
);

create table {fleet}.sites (
    id {key} primary key,
    region_id {key} not null references {fleet}.regions (id),
    name text not null,
    ownership text not null,
    operator text not null,
    oem text not null
);

create table {fleet}.pods (
    id {key} primary key,
    site_id {key} not null references {fleet}.sites (id),
    idx integer not null
);

create table {fleet}.racks (
    id {key} primary key,
    site_id {key} not null references {fleet}.sites (id),
    pod_id {key} not null references {fleet}.pods (id),
    idx integer not null,
    -- The rack's PDUs as a JSON array of ids: always read and written with the rack, never queried on their own.
    pdus text not null
);

create index fleet_racks_site on {fleet}.racks (site_id);

create table {fleet}.nodes (
    id {key} primary key,
    region_id {key} not null references {fleet}.regions (id),
    site_id {key} not null references {fleet}.sites (id),
    pod_id {key} not null references {fleet}.pods (id),
    rack_id {key} not null references {fleet}.racks (id),
    slot integer not null,
    sku text not null,
    hostname text not null,
    leaf_group text not null,
    nvlink_domain text not null,
    pdu text not null,
    gpu_count integer not null,
    cpu_cores integer not null,
    memory_gib integer not null,
    fw_bios text not null,
    fw_bmc text not null,
    fw_gpu_vbios text not null,
    fw_driver text not null,
    fw_cuda text not null,
    fw_nic text not null,
    state text not null,
    health text not null,
    version bigint not null
);

create index fleet_nodes_state on {fleet}.nodes (state, id);
create index fleet_nodes_site on {fleet}.nodes (site_id, id);
create index fleet_nodes_sku on {fleet}.nodes (sku, id);
create index fleet_nodes_health on {fleet}.nodes (health, id);
create index fleet_nodes_region on {fleet}.nodes (region_id, id);
create index fleet_nodes_rack on {fleet}.nodes (rack_id, id);

create table {fleet}.gpus (
    id {key} primary key,
    node_id {key} not null references {fleet}.nodes (id),
    -- Denormalised from the node so GPU listings filter by site without a join.
    site_id {key} not null,
    idx integer not null,
    sku text not null,
    uuid text not null,
    pci_bus_id text not null,
    numa_node integer not null,
    nic integer not null,
    state text not null,
    health text not null
);

create index fleet_gpus_node on {fleet}.gpus (node_id, id);
create index fleet_gpus_site on {fleet}.gpus (site_id, id);
create index fleet_gpus_state on {fleet}.gpus (state, id);

create table {fleet}.switches (
    id {key} primary key,
    site_id {key} not null references {fleet}.sites (id),
    pod_id {key} not null references {fleet}.pods (id),
    tier text not null,
    fabric text not null,
    leaf_group text null,
    rail integer not null
);

create table {fleet}.links (
    id {key} primary key,
    kind text not null,
    from_end text not null,
    to_end text not null,
    rail integer not null,
    speed_gbps integer not null,
    -- The node whose NIC port the link starts at; null for leaf-to-spine links.
    node_id {key} null
);

create index fleet_links_node on {fleet}.links (node_id);

create table {fleet}.transitions (
    seq {identity},
    subject {key} not null,
    from_state text not null,
    to_state text not null,
    actor text not null,
    reason text not null,
    at {timestamp} not null
);

create index fleet_transitions_subject on {fleet}.transitions (subject, seq);
