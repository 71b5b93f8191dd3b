using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Cycles;

/// <summary>A workload the scheduler tracks, pending or running; the fields used by the sorted sets never change while it is in one.</summary>
internal sealed class WorkloadEntry(PendingWorkload spec, long sequence, QueueState queue, ulong modelMask, bool fitsCluster)
{
    /// <summary>Priority (higher first), then arrival, then submission order.</summary>
    public static readonly IComparer<WorkloadEntry> ServiceOrder = Comparer<WorkloadEntry>.Create((a, b) =>
    {
        int c = b.Spec.Priority.CompareTo(a.Spec.Priority);
        if (c == 0)
        {
            c = a.Spec.SubmittedAt.CompareTo(b.Spec.SubmittedAt);
        }

        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    /// <summary>Arrival, then submission order.</summary>
    public static readonly IComparer<WorkloadEntry> ArrivalOrder = Comparer<WorkloadEntry>.Create((a, b) =>
    {
        int c = a.Spec.SubmittedAt.CompareTo(b.Spec.SubmittedAt);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    /// <summary>Lowest priority first, then the most recently submitted.</summary>
    public static readonly IComparer<WorkloadEntry> VictimOrder = Comparer<WorkloadEntry>.Create((a, b) =>
    {
        int c = a.Spec.Priority.CompareTo(b.Spec.Priority);
        return c != 0 ? c : b.Sequence.CompareTo(a.Sequence);
    });

    /// <summary>Expected end, then submission order.</summary>
    public static readonly IComparer<WorkloadEntry> EndOrder = Comparer<WorkloadEntry>.Create((a, b) =>
    {
        int c = a.ExpectedEnd.CompareTo(b.ExpectedEnd);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    public PendingWorkload Spec { get; } = spec;

    public string Id => Spec.Id;

    public GangRequest Gang => Spec.Gang;

    public long Sequence { get; } = sequence;

    public QueueState Queue { get; } = queue;

    /// <summary>The replica's allowed GPU models as a bit set over the snapshot's models.</summary>
    public ulong ModelMask { get; } = modelMask;

    /// <summary>Whether one replica fits some node of an allowed model when that node is empty, and the gang fits the cluster's GPUs.</summary>
    public bool FitsCluster { get; } = fitsCluster;

    public long GpuMilli { get; } = spec.Gang.GpuMilliTotal;

    public GangPlacement? Placement { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? LastCheckpoint { get; set; } = spec.LastCheckpoint;

    /// <summary>Quota usage per flavour while running (from where it was actually placed).</summary>
    public long[]? Usage { get; set; }

    public DateTimeOffset ExpectedEnd { get; set; }

    /// <summary>The last estimated start computed for it while pending (null: it can never run here).</summary>
    public DateTimeOffset? EstimatedStart { get; set; }

    /// <summary>Work lost if it stopped at <paramref name="now"/>: time since its last checkpoint, or since it started.</summary>
    public TimeSpan WorkLost(DateTimeOffset now)
    {
        var since = LastCheckpoint is { } c && c > StartedAt ? c : StartedAt;
        return now - since;
    }

    /// <summary>When it is sure to end if started at <paramref name="start"/> (estimate, else limit); null when unknown.</summary>
    public DateTimeOffset? EndBoundIfStarted(DateTimeOffset start) =>
        (Spec.RuntimeEstimate ?? Spec.RuntimeLimit) is { } runtime ? start + runtime : null;
}
