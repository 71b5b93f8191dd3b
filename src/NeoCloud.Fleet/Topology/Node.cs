using NeoCloud.Fleet.Firmware;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>A GPU server and where it sits: site, pod, rack, leaf group, NVLink domain and power domain.</summary>
/// <param name="Slot">Position in the rack, from 1.</param>
/// <param name="LeafGroup">The nodes that share the same rail leaves: the "leaf" level of placement.</param>
/// <param name="Version">Optimistic-concurrency version; increases with every lifecycle transition.</param>
public sealed record Node(
    NodeId Id,
    RegionId Region,
    SiteId Site,
    PodId Pod,
    RackId Rack,
    int Slot,
    string Sku,
    string Hostname,
    string LeafGroup,
    NvLinkDomainId NvLinkDomain,
    PduId Pdu,
    int GpuCount,
    int CpuCores,
    int MemoryGiB,
    FirmwareInventory Firmware,
    LifecycleState State,
    HealthStatus Health,
    long Version);
