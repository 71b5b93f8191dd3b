using System.Numerics;
using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// Keeps rare capability for the shapes that need it. For the workload's task shapes (the 64 with the most GPU demand,
/// rare ones included: FGD's typical set drops them) it tracks how many nodes can host each right now, and charges a
/// placement for every shape it stops a node hosting, more the fewer hosts that shape has left. A shape hundreds of nodes
/// can host loses almost nothing when one more node stops hosting it; an 8-GPU, 120-core shape that only the 39 big nodes
/// can host, or a shape pinned to a scarce GPU model, loses a lot: each such task that later fails leaves its whole GPU
/// demand unserved.
/// </summary>
internal sealed class ScarceShapes
{
    private const int MaxShapes = 64;

    private readonly ClusterSnapshot _snapshot;
    private readonly int[] _cpu;
    private readonly int[] _memory;
    private readonly int[] _count;
    private readonly int[] _milli;
    private readonly ulong[] _modelMask;
    private readonly double[] _weight;
    private readonly int[] _hosts;
    private readonly ulong[] _hostable;

    /// <param name="weight">Cost in milli-GPU of taking the last host of a shape that were all of the GPU demand; a shape
    /// costs its share of the GPU demand times this, divided by its hosts.</param>
    public ScarceShapes(ClusterSnapshot snapshot, IReadOnlyList<TaskShape> shapes, double weight)
    {
        _snapshot = snapshot;
        double demand = shapes.Sum(s => s.Frequency * s.GpuCount * s.GpuMilli);
        var guarded = shapes
            .Where(s => s.GpuCount > 0)
            .OrderByDescending(s => s.Frequency * s.GpuCount * s.GpuMilli)
            .Take(MaxShapes)
            .ToList();
        _cpu = [.. guarded.Select(s => s.CpuMilli)];
        _memory = [.. guarded.Select(s => s.MemoryMib)];
        _count = [.. guarded.Select(s => s.GpuCount)];
        _milli = [.. guarded.Select(s => s.GpuMilli)];
        _modelMask = [.. guarded.Select(s => snapshot.ModelMask(s.GpuModelList))];
        _weight = [.. guarded.Select(s => demand > 0 ? weight * s.Frequency * s.GpuCount * s.GpuMilli / demand : 0)];
        _hosts = new int[guarded.Count];
        _hostable = new ulong[snapshot.NodeCount];
        ulong all = guarded.Count == 64 ? ulong.MaxValue : (1UL << guarded.Count) - 1;
        for (int node = 0; node < snapshot.NodeCount; node++)
        {
            _hostable[node] = Hostable(snapshot.CpuFree(node), snapshot.MemoryFree(node), snapshot.GpuFree(node), snapshot.ModelOf(node), all);
            Count(_hostable[node], +1);
        }
    }

    /// <summary>How many nodes can host the <paramref name="shape"/>-th guarded shape now.</summary>
    public int Hosts(int shape) => _hosts[shape];

    /// <summary>
    /// What placing the request on the node costs, in milli-GPU: for each guarded shape the node can host now and could
    /// not after, the shape's weight divided by its hosts now. <paramref name="gpuMask"/> names the GPUs the placement takes.
    /// </summary>
    public double Cost(int node, in ResolvedRequest request, ulong gpuMask)
    {
        ulong before = _hostable[node];
        if (before == 0)
        {
            return 0;
        }

        var gpus = _snapshot.GpuFree(node);
        int whole = 0, largest = 0;
        for (int g = 0; g < gpus.Length; g++)
        {
            int free = (gpuMask & (1UL << g)) != 0 ? gpus[g] - request.GpuMilli : gpus[g];
            whole += free == PlacementRequest.WholeGpu ? 1 : 0;
            largest = Math.Max(largest, free);
        }

        ulong after = Hostable(_snapshot.CpuFree(node) - request.CpuMilli, _snapshot.MemoryFree(node) - request.MemoryMib, whole, largest, _snapshot.ModelOf(node), before);
        double cost = 0;
        for (ulong lost = before & ~after; lost != 0; lost &= lost - 1)
        {
            int s = BitOperations.TrailingZeroCount(lost);
            cost += _weight[s] / _hosts[s];
        }

        return cost;
    }

    /// <summary>Recounts the node after its capacity changed.</summary>
    public void Refresh(int node)
    {
        Count(_hostable[node], -1);
        ulong all = _cpu.Length == 64 ? ulong.MaxValue : (1UL << _cpu.Length) - 1;
        _hostable[node] = Hostable(_snapshot.CpuFree(node), _snapshot.MemoryFree(node), _snapshot.GpuFree(node), _snapshot.ModelOf(node), all);
        Count(_hostable[node], +1);
    }

    // Which of the candidate shapes a node in this state can host: capacity only shrinks under a placement, so only the
    // shapes it hosts now need checking.
    private ulong Hostable(int cpuFree, int memoryFree, ReadOnlySpan<int> gpuFree, int model, ulong candidates)
    {
        int whole = 0, largest = 0;
        foreach (int free in gpuFree)
        {
            whole += free == PlacementRequest.WholeGpu ? 1 : 0;
            largest = Math.Max(largest, free);
        }

        return Hostable(cpuFree, memoryFree, whole, largest, model, candidates);
    }

    private ulong Hostable(int cpuFree, int memoryFree, int whole, int largest, int model, ulong candidates)
    {
        ulong mask = 0, modelBit = 1UL << model;
        for (ulong c = candidates; c != 0; c &= c - 1)
        {
            int s = BitOperations.TrailingZeroCount(c);
            bool gpusFit = _count[s] == 1 ? largest >= _milli[s] : whole >= _count[s];
            if ((_modelMask[s] & modelBit) != 0 && cpuFree >= _cpu[s] && memoryFree >= _memory[s] && gpusFit)
            {
                mask |= 1UL << s;
            }
        }

        return mask;
    }

    private void Count(ulong mask, int delta)
    {
        for (; mask != 0; mask &= mask - 1)
        {
            _hosts[BitOperations.TrailingZeroCount(mask)] += delta;
        }
    }
}
