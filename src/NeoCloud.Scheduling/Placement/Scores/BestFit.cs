namespace NeoCloud.Scheduling.Placement.Scores;

/// <summary>Best fit: prefers the node left with the least free CPU and GPU (each as a share of the node's capacity).</summary>
public sealed class BestFit : IScorePlugin
{
    public string Name => "BestFit";

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        double cpuLeft = Share(snapshot.CpuFree(node) - request.CpuMilli, snapshot.CpuCapacity(node));
        double gpuLeft = Share(snapshot.GpuFreeTotal(node) - (request.GpuCount * request.GpuMilli), snapshot.GpuCount(node) * PlacementRequest.WholeGpu);
        return -(cpuLeft + gpuLeft);
    }

    internal static double Share(double part, double whole) => whole > 0 ? part / whole : 0;
}
