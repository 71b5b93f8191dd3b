using NeoCloud.Fleet.Firmware;
using NeoCloud.Fleet.Topology;

namespace NeoCloud.Fleet.Spec;

/// <summary>A fleet described declaratively (<c>kind: Fleet</c>): regions, sites and the shape of each site.</summary>
public sealed record FleetSpec(string Name, IReadOnlyList<RegionSpec> Regions);

/// <summary>One region of a fleet spec.</summary>
public sealed record RegionSpec(string Name, string DisplayName, IReadOnlyList<SiteSpec> Sites);

/// <summary>One data center: its ownership, size, SKU mix, fabric and power shape.</summary>
/// <param name="NodesPerRack">Servers per rack; racks of a rack-scale NVLink SKU (GB200 NVL72) always hold 18 trays.</param>
public sealed record SiteSpec(
    string Name,
    SiteOwnership Ownership,
    string Operator,
    string Oem,
    int Pods,
    int RacksPerPod,
    int NodesPerRack,
    int PdusPerRack,
    IReadOnlyList<SkuShare> SkuMix,
    FabricSpec Fabric,
    FirmwareInventory? Firmware);

/// <summary>The share of a site's racks given to one SKU, in percent.</summary>
public sealed record SkuShare(string Sku, int Percent);

/// <summary>The scale-out fabric of a site: a rail-optimised two-tier fat tree per pod.</summary>
/// <param name="Rails">NICs per node, each on its own rail leaf.</param>
/// <param name="NodesPerLeafGroup">Nodes that share the same set of rail leaves.</param>
/// <param name="SpinesPerPod">Spine switches joining the pod's leaves.</param>
public sealed record FabricSpec(FabricKind Kind, int Rails, int NodesPerLeafGroup, int SpinesPerPod, int LinkSpeedGbps);
