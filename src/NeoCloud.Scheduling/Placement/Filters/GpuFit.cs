namespace NeoCloud.Scheduling.Placement.Filters;

/// <summary>The node has enough GPUs with enough free milli: fully free GPUs for whole-GPU requests, one GPU with the share free for a share.</summary>
public sealed class GpuFit : IFilterPlugin
{
    public string Name => "GpuFit";

    public bool Filter(ClusterSnapshot snapshot, in ResolvedRequest request, int node) =>
        request.GpuCount == 0
        || (snapshot.GpuFreeTotal(node) >= request.GpuCount * request.GpuMilli
            && snapshot.GpusWithAtLeast(node, request.GpuMilli) >= request.GpuCount);
}
