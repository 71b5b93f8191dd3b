namespace NeoCloud.Scheduling.Cycles;

/// <summary>Tuning of <see cref="ClusterScheduler"/>; the defaults work out of the box.</summary>
public sealed record SchedulerOptions
{
    public SchedulingPolicy Policy { get; init; } = SchedulingPolicy.NeoCloud;

    /// <summary>
    /// Half-life of the usage history fair share remembers. One hour: long enough that a queue which just ran a burst yields
    /// to the others for the next jobs, short enough that yesterday's burst no longer counts. Zero uses current usage only.
    /// </summary>
    public TimeSpan UsageHalfLife { get; init; } = TimeSpan.FromHours(1);

    /// <summary>EASY backfill behind the head-of-line gang's reservation; off, a capacity-blocked head stops the cycle.</summary>
    public bool Backfill { get; init; } = true;

    /// <summary>Preemption (within a queue by priority, reclaim of borrowed quota, fair share) under the NeoCloud policy.</summary>
    public bool Preemption { get; init; } = true;

    /// <summary>
    /// Whether a queue that borrows may be preempted for a queue that would stay below it in dominant share. Off by default:
    /// reclaim already gives every queue its nominal quota back, and replaying the Venus trace with it on preempted the
    /// same jobs over and over (577 preemptions, 10 jobs out of retries) for no gain in completion time.
    /// </summary>
    public bool FairSharePreemption { get; init; }

    /// <summary>Most workloads one cycle tries to start (bounds a cycle's latency with a deep backlog).</summary>
    public int MaxAttemptsPerCycle { get; init; } = 100_000;

    /// <summary>A cycle stops after this many capacity failures in a row: the cluster is full for what is waiting.</summary>
    public int MaxConsecutiveFailures { get; init; } = 256;

    /// <summary>
    /// A queue whose workloads fail its quota this many times in a row is done for the cycle: its usage only grows
    /// within a cycle, so looking further down a deep queue rarely finds one small enough and costs O(depth).
    /// </summary>
    public int MaxQuotaLookahead { get; init; } = 32;

    /// <summary>Most preemption searches per cycle.</summary>
    public int MaxPreemptionAttemptsPerCycle { get; init; } = 16;

    /// <summary>Most candidate victims one preemption search simulates.</summary>
    public int MaxPreemptionCandidates { get; init; } = 64;

    /// <summary>Most placement probes spent finding the head-of-line reservation.</summary>
    public int MaxReservationProbes { get; init; } = 24;

    /// <summary>Runtime assumed for a workload with neither estimate nor limit when projecting ends and starts.</summary>
    public TimeSpan DefaultRuntimeEstimate { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Where decision latencies are measured from (virtual time in the simulator, tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public string? Problem() =>
        UsageHalfLife < TimeSpan.Zero ? "usage half-life must not be negative"
        : MaxAttemptsPerCycle < 1 ? "MaxAttemptsPerCycle must be at least 1"
        : MaxConsecutiveFailures < 1 ? "MaxConsecutiveFailures must be at least 1"
        : MaxQuotaLookahead < 1 ? "MaxQuotaLookahead must be at least 1"
        : MaxPreemptionAttemptsPerCycle < 0 ? "MaxPreemptionAttemptsPerCycle must not be negative"
        : MaxPreemptionCandidates < 1 ? "MaxPreemptionCandidates must be at least 1"
        : MaxReservationProbes < 1 ? "MaxReservationProbes must be at least 1"
        : DefaultRuntimeEstimate <= TimeSpan.Zero ? "DefaultRuntimeEstimate must be positive"
        : null;
}
