using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>An InfiniBand or RoCE switch. Leaves serve one rail of one leaf group; spines join a pod's leaves.</summary>
/// <param name="LeafGroup">For a leaf, the group of nodes it serves (the "leaf" level of placement); null for spines.</param>
/// <param name="Rail">For a leaf, the rail (NIC index) it carries; -1 for spines.</param>
public sealed record FabricSwitch(SwitchId Id, SiteId Site, PodId Pod, SwitchTier Tier, FabricKind Fabric, string? LeafGroup, int Rail);
