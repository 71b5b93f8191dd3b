using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Topology;

/// <summary>A data center in a region, with who runs the building and who built the servers.</summary>
public sealed record Site(SiteId Id, RegionId Region, string Name, SiteOwnership Ownership, string Operator, string Oem);
