namespace NeoCloud.Scheduling.Placement;

/// <summary>Whole GPUs: the lowest-numbered fully free ones. A share: the GPU with the least free milli that still fits (best fit).</summary>
public sealed class TightestGpuBinder : IGpuBinder
{
    public ulong ChooseGpus(ClusterSnapshot snapshot, in ResolvedRequest request, int node)
    {
        var gpus = snapshot.GpuFree(node);
        if (request.GpuCount == 0)
        {
            return 0;
        }

        if (request.IsShare)
        {
            int best = -1;
            for (int g = 0; g < gpus.Length; g++)
            {
                if (gpus[g] >= request.GpuMilli && (best < 0 || gpus[g] < gpus[best]))
                {
                    best = g;
                }
            }

            return best < 0 ? 0 : 1UL << best;
        }

        ulong mask = 0;
        int needed = request.GpuCount;
        for (int g = 0; g < gpus.Length && needed > 0; g++)
        {
            if (gpus[g] >= request.GpuMilli)
            {
                mask |= 1UL << g;
                needed--;
            }
        }

        return mask;
    }
}
