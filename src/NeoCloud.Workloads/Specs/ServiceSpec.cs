using NeoCloud.Kernel.Ids;

namespace NeoCloud.Workloads.Specs;

/// <summary>A long-running service (<c>kind: Service</c>): between <see cref="MinReplicas"/> and <see cref="MaxReplicas"/> independent replicas spread across failure domains.</summary>
public sealed record ServiceSpec(
    string Name,
    TenantId Tenant,
    QueueId Queue,
    int MinReplicas,
    int MaxReplicas,
    ReplicaResources Resources,
    SpreadDomain SpreadAcross,
    PriorityClass PriorityClass,
    RunSpec Run) : WorkloadSpec(Name, Tenant, Queue, Resources, PriorityClass, Run);
