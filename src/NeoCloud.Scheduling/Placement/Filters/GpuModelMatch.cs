namespace NeoCloud.Scheduling.Placement.Filters;

/// <summary>A GPU request lands only on a node whose GPU model it allows; CPU-only requests go anywhere.</summary>
public sealed class GpuModelMatch : IFilterPlugin
{
    public string Name => "GpuModelMatch";

    public bool Filter(ClusterSnapshot snapshot, in ResolvedRequest request, int node) =>
        request.GpuCount == 0 || (request.ModelMask & (1UL << snapshot.ModelOf(node))) != 0;
}
