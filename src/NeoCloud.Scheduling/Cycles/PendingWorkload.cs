using NeoCloud.Scheduling.Gangs;

namespace NeoCloud.Scheduling.Cycles;

/// <summary>
/// A workload waiting to be admitted and placed: one attempt of a job, as a gang. Higher <paramref name="Priority"/> is
/// served first within its queue. <paramref name="RuntimeEstimate"/> and <paramref name="RuntimeLimit"/> drive backfill and
/// estimated starts; <paramref name="GuaranteedMinimumRuntime"/> protects it from preemption once it runs;
/// <paramref name="LastCheckpoint"/> is where a restarted attempt resumes from (its work lost if preempted counts from it).
/// </summary>
public sealed record PendingWorkload(
    string Id,
    string Queue,
    int Priority,
    bool Preemptible,
    GangRequest Gang,
    DateTimeOffset SubmittedAt,
    TimeSpan? RuntimeEstimate = null,
    TimeSpan? RuntimeLimit = null,
    TimeSpan GuaranteedMinimumRuntime = default,
    DateTimeOffset? LastCheckpoint = null,
    string? PriorityClass = null)
{
    /// <summary>Why the workload can never be scheduled as given, or null when it is well formed.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Id) ? "a workload needs an id"
        : string.IsNullOrWhiteSpace(Queue) ? $"workload {Id}: queue must be named"
        : Gang.Replicas < 1 ? $"workload {Id}: a gang needs at least one replica, got {Gang.Replicas}"
        : Gang.Replica.Problem() is { } p ? $"workload {Id}: {p}"
        : RuntimeEstimate is { } e && e <= TimeSpan.Zero ? $"workload {Id}: runtime estimate must be positive"
        : RuntimeLimit is { } l && l <= TimeSpan.Zero ? $"workload {Id}: runtime limit must be positive"
        : GuaranteedMinimumRuntime < TimeSpan.Zero ? $"workload {Id}: guaranteed minimum runtime must not be negative"
        : null;
}
