using NeoCloud.Kernel.Ids;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Workloads.Specs;

/// <summary>A batch job (<c>kind: Job</c>): a gang of <see cref="Replicas"/> identical replicas that start together and run to an end.</summary>
/// <param name="Topology">At most one requirement per level, smallest level first.</param>
/// <param name="RuntimeLimit">The job is stopped (failed) when an attempt runs longer; null for no limit.</param>
/// <param name="RuntimeEstimate">What the user expects; backfill and estimated start times plan with it.</param>
/// <param name="RetryBudget">How many times the job is restarted after a preemption or an infrastructure failure.</param>
/// <param name="MinRuntime">How long an attempt runs before it may be preempted (the priority class's default unless overridden).</param>
/// <param name="IdempotencyKey">Makes submission safe to retry: one job per tenant and key.</param>
public sealed record JobSpec(
    string Name,
    TenantId Tenant,
    QueueId Queue,
    int Replicas,
    ReplicaResources Resources,
    IReadOnlyList<TopologyRequirement> Topology,
    PriorityClass PriorityClass,
    TimeSpan? RuntimeLimit,
    TimeSpan? RuntimeEstimate,
    TimeSpan? CheckpointInterval,
    int RetryBudget,
    TimeSpan MinRuntime,
    string? IdempotencyKey,
    RunSpec Run) : WorkloadSpec(Name, Tenant, Queue, Resources, PriorityClass, Run)
{
    /// <summary>The gang the scheduler places for this job: one placement request per replica and the topology requirements.</summary>
    public GangRequest ToGangRequest(string id) => new(
        id,
        Replicas,
        new PlacementRequest(
            Resources.CpuMilli,
            Resources.MemoryMib,
            Resources.GpuCount,
            Resources.GpuMilli,
            Resources.GpuTypes.Count == 0 ? null : Resources.GpuTypes),
        Topology);
}
