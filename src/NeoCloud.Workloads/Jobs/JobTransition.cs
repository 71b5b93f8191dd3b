using NeoCloud.Workloads.Execution;

namespace NeoCloud.Workloads.Jobs;

/// <summary>A requested state change: where to, why, who, when; and for <see cref="JobState.Placed"/> where the replicas go.</summary>
/// <param name="Placement">One entry per replica; required when moving to <see cref="JobState.Placed"/>, refused otherwise.</param>
public sealed record JobTransition(
    JobState To,
    string Reason,
    string Actor,
    DateTimeOffset At,
    IReadOnlyList<ReplicaPlacement>? Placement = null,
    string? Details = null);
