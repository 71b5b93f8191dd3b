using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>A pod (scalable unit): racks under one set of spine switches; the "block" level of topology placement.</summary>
public sealed record Pod(PodId Id, SiteId Site, int Index);
