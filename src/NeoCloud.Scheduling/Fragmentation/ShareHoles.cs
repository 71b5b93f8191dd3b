using System.Numerics;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// Rewards a GPU share that closes a hole: put on a GPU another share already uses, it leaves less free than the
/// workload's smallest share, so that GPU is done. The bonus is the gap it closes (the GPU's free milli before), so
/// the biggest gaps a small share can close go first. FGD weighs a gap by how many typical shapes it cannot serve now;
/// torn between a nearly full GPU and a half full one it often keeps the small gap open for a small share that may
/// never come, while the open half GPU is what the many mid-sized shares (320–650 milli) need. On openb almost all the
/// idle capacity at 130% is such gaps: the 190 milli beside each 810-milli share, which only the rare 50–160-milli
/// shares can take; each one they close is capacity that would otherwise stay idle.
/// </summary>
internal sealed class ShareHoles
{
    private readonly double _weight;

    /// <param name="shapes">The workload's GPU task shapes; the smallest share among them sets what counts as closed.</param>
    /// <param name="weight">Bonus per milli-GPU of the gap closed, in FGD's milli-GPU.</param>
    public ShareHoles(IReadOnlyList<TaskShape> shapes, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        _weight = weight;
        SmallestShare = shapes
            .Where(s => s.GpuCount == 1 && s.GpuMilli < PlacementRequest.WholeGpu)
            .Select(s => s.GpuMilli)
            .DefaultIfEmpty(PlacementRequest.WholeGpu)
            .Min();
    }

    /// <summary>The smallest share of the workload: a GPU left with less free than this can take no more tasks.</summary>
    public int SmallestShare { get; }

    /// <summary>
    /// The bonus for placing the request on the GPU named by <paramref name="gpuMask"/> of a node whose GPUs have
    /// <paramref name="gpuFree"/> free: weight × that GPU's free milli when it already holds a share and is closed by
    /// this one, else 0 (whole GPUs, CPU-only tasks, a fresh GPU, a gap left that a share could still use).
    /// </summary>
    public double Bonus(ReadOnlySpan<int> gpuFree, in ResolvedRequest request, ulong gpuMask)
    {
        if (!request.IsShare || gpuMask == 0)
        {
            return 0;
        }

        int free = gpuFree[BitOperations.TrailingZeroCount(gpuMask)];
        bool closes = free < PlacementRequest.WholeGpu && free - request.GpuMilli < SmallestShare;
        return closes ? _weight * free : 0;
    }
}
