using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// A node's expected GPU fragmentation against the typical tasks (FGD, ATC'23): for each typical shape, the GPU milli
/// on the node that cannot serve that shape, weighted by the shape's frequency. A shape the node cannot host at all
/// (GPU model not allowed, too little CPU or memory left, too few GPUs with enough free) makes all its free GPU milli
/// fragment; a shape it can host leaves fragmented only the GPUs with less free than the shape's per-GPU share.
/// The current value of every node is cached and refreshed only for the node that changed.
/// </summary>
internal sealed class FragmentationModel
{
    private readonly ClusterSnapshot _snapshot;
    private readonly int[] _cpu;
    private readonly int[] _memory;
    private readonly int[] _count;
    private readonly int[] _milliIndex;
    private readonly ulong[] _modelMask;
    private readonly double[] _frequency;
    private readonly int[] _millis;
    private readonly int[] _fit;
    private readonly int[] _below;
    private readonly double[] _nodeFragmentation;

    public FragmentationModel(ClusterSnapshot snapshot, TypicalTasks typical)
    {
        _snapshot = snapshot;
        var shapes = typical.Shapes;
        _cpu = [.. shapes.Select(s => s.CpuMilli)];
        _memory = [.. shapes.Select(s => s.MemoryMib)];
        _count = [.. shapes.Select(s => s.GpuCount)];
        _modelMask = [.. shapes.Select(s => snapshot.ModelMask(s.GpuModelList))];
        _frequency = [.. shapes.Select(s => s.Frequency)];
        _millis = [.. shapes.Select(s => s.GpuMilli).Distinct().Order()];
        _milliIndex = [.. shapes.Select(s => Array.IndexOf(_millis, s.GpuMilli))];
        _fit = new int[_millis.Length];
        _below = new int[_millis.Length];
        _nodeFragmentation = new double[snapshot.NodeCount];
        for (int node = 0; node < snapshot.NodeCount; node++)
        {
            Refresh(node);
        }
    }

    /// <summary>The node's fragmentation as the snapshot stands (cached).</summary>
    public double Of(int node) => _nodeFragmentation[node];

    /// <summary>Recomputes the cached value of one node after its capacity changed.</summary>
    public void Refresh(int node) =>
        _nodeFragmentation[node] = Compute(_snapshot.CpuFree(node), _snapshot.MemoryFree(node), _snapshot.GpuFree(node), _snapshot.ModelOf(node));

    /// <summary>
    /// The node's fragmentation if the request were placed on it, choosing the GPUs that leave the least (for a share,
    /// the GPU; whole GPUs take the first fully free ones, which all leave the same state). The request must fit.
    /// </summary>
    public double IfPlaced(int node, in ResolvedRequest request, out ulong gpuMask)
    {
        var current = _snapshot.GpuFree(node);
        Span<int> gpus = stackalloc int[current.Length];
        current.CopyTo(gpus);
        int cpu = _snapshot.CpuFree(node) - request.CpuMilli;
        int memory = _snapshot.MemoryFree(node) - request.MemoryMib;
        int model = _snapshot.ModelOf(node);
        gpuMask = 0;
        if (request.GpuCount == 0)
        {
            return Compute(cpu, memory, gpus, model);
        }

        if (!request.IsShare)
        {
            int needed = request.GpuCount;
            for (int g = 0; g < gpus.Length && needed > 0; g++)
            {
                if (gpus[g] >= request.GpuMilli)
                {
                    gpus[g] -= request.GpuMilli;
                    gpuMask |= 1UL << g;
                    needed--;
                }
            }

            return Compute(cpu, memory, gpus, model);
        }

        double best = double.PositiveInfinity;
        for (int g = 0; g < gpus.Length; g++)
        {
            if (gpus[g] < request.GpuMilli || SeenBefore(gpus, g))
            {
                continue;
            }

            gpus[g] -= request.GpuMilli;
            double fragmentation = Compute(cpu, memory, gpus, model);
            gpus[g] += request.GpuMilli;
            if (fragmentation < best)
            {
                best = fragmentation;
                gpuMask = 1UL << g;
            }
        }

        return best;
    }

    /// <summary>The fragmentation of a node in the given state.</summary>
    public double Compute(int cpuFree, int memoryFree, ReadOnlySpan<int> gpuFree, int model)
    {
        int total = 0;
        foreach (int free in gpuFree)
        {
            total += free;
        }

        if (total == 0)
        {
            return 0;
        }

        for (int d = 0; d < _millis.Length; d++)
        {
            int milli = _millis[d], fit = 0, below = 0;
            foreach (int free in gpuFree)
            {
                if (free >= milli)
                {
                    fit++;
                }
                else
                {
                    below += free;
                }
            }

            _fit[d] = fit;
            _below[d] = below;
        }

        double fragmentation = 0;
        ulong modelBit = 1UL << model;
        for (int s = 0; s < _frequency.Length; s++)
        {
            int d = _milliIndex[s];
            bool hostable = (_modelMask[s] & modelBit) != 0 && cpuFree >= _cpu[s] && memoryFree >= _memory[s] && _fit[d] >= _count[s];
            fragmentation += _frequency[s] * (hostable ? _below[d] : total);
        }

        return fragmentation;
    }

    // GPUs with the same free milli leave the same state: try each distinct value once (the lowest index wins ties).
    private static bool SeenBefore(ReadOnlySpan<int> gpus, int g)
    {
        for (int i = 0; i < g; i++)
        {
            if (gpus[i] == gpus[g])
            {
                return true;
            }
        }

        return false;
    }
}
