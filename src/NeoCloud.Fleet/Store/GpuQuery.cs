using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Fleet.Store;

/// <summary>A filtered, cursor-paged listing of GPUs, in GPU-id order.</summary>
public sealed record GpuQuery(
    NodeId? Node = null,
    SiteId? Site = null,
    string? Sku = null,
    LifecycleState? State = null,
    HealthStatus? Health = null,
    int Limit = 100,
    string? Cursor = null);
