using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Store;

/// <summary>A filtered, cursor-paged listing of nodes, in node-id order.</summary>
public sealed record NodeQuery(
    RegionId? Region = null,
    SiteId? Site = null,
    RackId? Rack = null,
    string? Sku = null,
    LifecycleState? State = null,
    HealthStatus? Health = null,
    int Limit = 100,
    string? Cursor = null);
