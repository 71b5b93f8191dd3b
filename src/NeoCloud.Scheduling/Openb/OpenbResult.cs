namespace NeoCloud.Scheduling.Openb;

/// <summary>
/// The outcome of one openb experiment. <see cref="AllocationRate"/>[X] is the mean GPU allocation (percent of capacity)
/// over the events whose arrived GPU demand rounds to X percent, X = 0..130; null where no event rounds to X.
/// <see cref="FirstFailureArrivalPercent"/> is the arrived demand (percent of capacity) when the first task failed that
/// some node of the empty cluster could host, null if none did: below it every such task was placed, so the curve there
/// is fixed by the arrival order, not by placement. <see cref="Unplaceable"/> counts the tasks no node could ever host.
/// </summary>
public sealed record OpenbResult(
    IReadOnlyList<double?> AllocationRate,
    int Placed,
    int Failed,
    int Originals,
    int Clones,
    long GpuCapacityMilli,
    long GpuAllocatedMilli,
    string Policy,
    int Seed,
    double? FirstFailureArrivalPercent = null,
    int Unplaceable = 0)
{
    public const int MaxArrivalPercent = 130;
}
