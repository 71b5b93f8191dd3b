using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>A region: the unit of data residency and of regional control.</summary>
public sealed record Region(RegionId Id, string DisplayName);
