namespace NeoCloud.Scheduling.Placement.Filters;

/// <summary>The node has the CPU and memory the request asks for free.</summary>
public sealed class CpuMemoryFit : IFilterPlugin
{
    public string Name => "CpuMemoryFit";

    public bool Filter(ClusterSnapshot snapshot, in ResolvedRequest request, int node) =>
        snapshot.CpuFree(node) >= request.CpuMilli && snapshot.MemoryFree(node) >= request.MemoryMib;
}
