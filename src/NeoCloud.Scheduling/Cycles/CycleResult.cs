using NeoCloud.Scheduling.Backfill;
using NeoCloud.Scheduling.Preemption;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Cycles;

/// <summary>
/// What one scheduling cycle decided: the workloads to start (with placements), the workloads to stop (already released
/// and forgotten by the scheduler; the caller stops them and resubmits a new attempt), the head-of-line reservation and
/// every queue's state after the cycle.
/// </summary>
public sealed record CycleResult(
    DateTimeOffset At,
    IReadOnlyList<StartedWorkload> Started,
    IReadOnlyList<PreemptionDecision> Preemptions,
    Reservation? Reservation,
    IReadOnlyList<QueueStatus> Queues);
