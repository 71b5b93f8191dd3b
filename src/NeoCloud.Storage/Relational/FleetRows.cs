using System.Text.Json;
using NeoCloud.Fleet.Firmware;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Storage.Relational;

// Dapper materialises these flat rows; the domain records are built from them by hand so typed ids and enums stay
// explicit (enums are stored by name: readable in psql and stable if members are reordered).

internal sealed class RegionRow
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";

    public Region ToRegion() => new(new RegionId(Id), DisplayName);
}

internal sealed class SiteRow
{
    public string Id { get; set; } = "";
    public string RegionId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Ownership { get; set; } = "";
    public string Operator { get; set; } = "";
    public string Oem { get; set; } = "";

    public Site ToSite() => new(new SiteId(Id), new RegionId(RegionId), Name, Enum.Parse<SiteOwnership>(Ownership), Operator, Oem);
}

internal sealed class RackRow
{
    public string Id { get; set; } = "";
    public string SiteId { get; set; } = "";
    public string PodId { get; set; } = "";
    public int Idx { get; set; }
    public string Pdus { get; set; } = "[]";

    public static string PdusJson(IReadOnlyList<PduId> pdus) => JsonSerializer.Serialize(pdus.Select(p => p.Value).ToArray());

    public Rack ToRack() => new(
        new RackId(Id), new SiteId(SiteId), new PodId(PodId), Idx,
        (JsonSerializer.Deserialize<string[]>(Pdus) ?? []).Select(p => new PduId(p)).ToArray());
}

internal sealed class NodeRow
{
    public const string Columns =
        "id as Id, region_id as RegionId, site_id as SiteId, pod_id as PodId, rack_id as RackId, slot as Slot, sku as Sku, " +
        "hostname as Hostname, leaf_group as LeafGroup, nvlink_domain as NvLinkDomain, pdu as Pdu, gpu_count as GpuCount, " +
        "cpu_cores as CpuCores, memory_gib as MemoryGiB, fw_bios as FwBios, fw_bmc as FwBmc, fw_gpu_vbios as FwGpuVbios, " +
        "fw_driver as FwDriver, fw_cuda as FwCuda, fw_nic as FwNic, state as State, health as Health, version as Version";

    public string Id { get; set; } = "";
    public string RegionId { get; set; } = "";
    public string SiteId { get; set; } = "";
    public string PodId { get; set; } = "";
    public string RackId { get; set; } = "";
    public int Slot { get; set; }
    public string Sku { get; set; } = "";
    public string Hostname { get; set; } = "";
    public string LeafGroup { get; set; } = "";
    public string NvLinkDomain { get; set; } = "";
    public string Pdu { get; set; } = "";
    public int GpuCount { get; set; }
    public int CpuCores { get; set; }
    public int MemoryGiB { get; set; }
    public string FwBios { get; set; } = "";
    public string FwBmc { get; set; } = "";
    public string FwGpuVbios { get; set; } = "";
    public string FwDriver { get; set; } = "";
    public string FwCuda { get; set; } = "";
    public string FwNic { get; set; } = "";
    public string State { get; set; } = "";
    public string Health { get; set; } = "";
    public long Version { get; set; }

    public Node ToNode() => new(
        new NodeId(Id), new RegionId(RegionId), new SiteId(SiteId), new PodId(PodId), new RackId(RackId), Slot, Sku, Hostname,
        LeafGroup, new NvLinkDomainId(NvLinkDomain), new PduId(Pdu), GpuCount, CpuCores, MemoryGiB,
        new FirmwareInventory(FwBios, FwBmc, FwGpuVbios, FwDriver, FwCuda, FwNic),
        Enum.Parse<LifecycleState>(State), Enum.Parse<HealthStatus>(Health), Version);
}

internal sealed class GpuRow
{
    public const string Columns =
        "id as Id, node_id as NodeId, idx as Idx, sku as Sku, uuid as Uuid, pci_bus_id as PciBusId, numa_node as NumaNode, " +
        "nic as Nic, state as State, health as Health";

    public string Id { get; set; } = "";
    public string NodeId { get; set; } = "";
    public int Idx { get; set; }
    public string Sku { get; set; } = "";
    public string Uuid { get; set; } = "";
    public string PciBusId { get; set; } = "";
    public int NumaNode { get; set; }
    public int Nic { get; set; }
    public string State { get; set; } = "";
    public string Health { get; set; } = "";

    public Gpu ToGpu() => new(
        new GpuId(Id), new NodeId(NodeId), Idx, Sku, Uuid, PciBusId, NumaNode, Nic,
        Enum.Parse<LifecycleState>(State), Enum.Parse<HealthStatus>(Health));
}

internal sealed class LinkRow
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string FromEnd { get; set; } = "";
    public string ToEnd { get; set; } = "";
    public int Rail { get; set; }
    public int SpeedGbps { get; set; }

    public FabricLink ToLink() => new(Id, Enum.Parse<LinkKind>(Kind), FromEnd, ToEnd, Rail, SpeedGbps);
}

internal sealed class TransitionRow
{
    public long Seq { get; set; }
    public string SubjectKind { get; set; } = "";
    public string Subject { get; set; } = "";
    public string FromState { get; set; } = "";
    public string ToState { get; set; } = "";
    public string Actor { get; set; } = "";
    public string Reason { get; set; } = "";
    public object At { get; set; } = "";
}
