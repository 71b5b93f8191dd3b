using NeoCloud.Kernel.Ids;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Workloads.Specs;

/// <summary>A long-running service (<c>kind: Service</c>): between <see cref="MinReplicas"/> and <see cref="MaxReplicas"/> independent replicas spread across failure domains.</summary>
/// <remarks>
/// A service runs until it is cancelled; it is scheduled as a gang of <see cref="MinReplicas"/> replicas, each in its own
/// domain of <see cref="SpreadAcross"/>. <see cref="MaxReplicas"/> is validated and kept, but nothing scales a service yet.
/// </remarks>
public sealed record ServiceSpec(
    string Name,
    TenantId Tenant,
    QueueId Queue,
    int MinReplicas,
    int MaxReplicas,
    ReplicaResources Resources,
    SpreadDomain SpreadAcross,
    PriorityClass PriorityClass,
    RunSpec Run) : WorkloadSpec(Name, Tenant, Queue, Resources, PriorityClass, Run)
{
    /// <summary>
    /// How long the scheduler plans a service to hold its capacity (a service has no end to estimate): a year, so that
    /// backfill never counts on a service's GPUs coming back and estimated starts behind it say "not soon".
    /// </summary>
    public static readonly TimeSpan PlanningRuntime = TimeSpan.FromDays(365);

    /// <summary>The gang the scheduler places: <see cref="MinReplicas"/> replicas, no two in one domain of <see cref="SpreadAcross"/>.</summary>
    public GangRequest ToGangRequest(string id) => new(
        id,
        MinReplicas,
        new PlacementRequest(
            Resources.CpuMilli,
            Resources.MemoryMib,
            Resources.GpuCount,
            Resources.GpuMilli,
            Resources.GpuTypes.Count == 0 ? null : Resources.GpuTypes),
        [])
    {
        Spread = ToSpreadLevel(SpreadAcross),
    };

    private static SpreadLevel ToSpreadLevel(SpreadDomain domain) => domain switch
    {
        SpreadDomain.Node => SpreadLevel.Node,
        SpreadDomain.Rack => SpreadLevel.Rack,
        SpreadDomain.Leaf => SpreadLevel.Leaf,
        SpreadDomain.Site => SpreadLevel.Site,
        _ => throw new ArgumentOutOfRangeException(nameof(domain), domain, $"service spread '{domain}' is not node, rack, leaf or site"),
    };
}
