namespace NeoCloud.Scheduling.Openb;

/// <summary>
/// The outcome of one openb experiment. <see cref="AllocationRate"/>[X] is the mean GPU allocation (percent of capacity)
/// over the events whose arrived GPU demand rounds to X percent, X = 0..130; null where no event rounds to X.
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
    int Seed)
{
    public const int MaxArrivalPercent = 130;
}
