using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>A rack in a pod, fed by its PDUs (power domains).</summary>
public sealed record Rack(RackId Id, SiteId Site, PodId Pod, int Index, IReadOnlyList<PduId> Pdus);
