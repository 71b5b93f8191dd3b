namespace NeoCloud.Scheduling.Placement.Scores;

/// <summary>GPU packing: a share goes first onto an already shared GPU that fits, then any task onto a node with GPUs in use, idle nodes last.</summary>
public sealed class GpuPacking : IScorePlugin
{
    public string Name => "GpuPacking";

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        bool nodeInUse = snapshot.GpuFreeTotal(node) < snapshot.GpuCount(node) * PlacementRequest.WholeGpu;
        if (request.IsShare)
        {
            foreach (int free in snapshot.GpuFree(node))
            {
                if (free < PlacementRequest.WholeGpu && free >= request.GpuMilli)
                {
                    return 2;
                }
            }
        }

        return nodeInUse ? 1 : 0;
    }
}
