namespace NeoCloud.Scheduling.Placement.Scores;

/// <summary>Dot product (Tetris-style alignment): prefers the node whose free CPU, memory and GPU, as shares of its capacity, have the smallest dot product with the request's.</summary>
public sealed class DotProduct : IScorePlugin
{
    public string Name => "DotProduct";

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        double cpuCap = snapshot.CpuCapacity(node), memCap = snapshot.MemoryCapacity(node), gpuCap = snapshot.GpuCount(node) * PlacementRequest.WholeGpu;
        double dot = (BestFit.Share(request.CpuMilli, cpuCap) * BestFit.Share(snapshot.CpuFree(node), cpuCap))
            + (BestFit.Share(request.MemoryMib, memCap) * BestFit.Share(snapshot.MemoryFree(node), memCap))
            + (BestFit.Share(request.GpuCount * request.GpuMilli, gpuCap) * BestFit.Share(snapshot.GpuFreeTotal(node), gpuCap));
        return -dot;
    }
}
