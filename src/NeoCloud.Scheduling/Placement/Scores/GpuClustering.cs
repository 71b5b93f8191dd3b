namespace NeoCloud.Scheduling.Placement.Scores;

/// <summary>GPU clustering: keeps like with like — shares go where GPUs are already shared, whole-GPU tasks where GPUs are already wholly taken.</summary>
public sealed class GpuClustering : IScorePlugin
{
    public string Name => "GpuClustering";

    public double Score(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        if (request.GpuCount == 0)
        {
            return 0;
        }

        int shared = 0, taken = 0;
        foreach (int free in snapshot.GpuFree(node))
        {
            if (free == 0)
            {
                taken++;
            }
            else if (free < PlacementRequest.WholeGpu)
            {
                shared++;
            }
        }

        return request.IsShare ? shared : taken;
    }
}
