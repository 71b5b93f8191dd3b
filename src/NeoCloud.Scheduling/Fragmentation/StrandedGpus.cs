using NeoCloud.Scheduling.Placement;

namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>
/// GPUs a node's CPU and memory can no longer feed. The typical tasks need, on average, so many cores and so much memory
/// per GPU; a node whose free CPU (or memory) falls short of that for its free GPUs strands the difference, in milli-GPU.
/// FGD sees CPU only one task at a time (can the node still host one typical task?); this sees it across all the free
/// GPUs, so a CPU-only task goes where CPU is plentiful per free GPU instead of eating the cores a GPU node's GPUs need.
/// </summary>
internal sealed class StrandedGpus
{
    private readonly ClusterSnapshot _snapshot;
    private readonly double _cpuPerGpu;
    private readonly double _memoryPerGpu;

    public StrandedGpus(ClusterSnapshot snapshot, IReadOnlyList<TaskShape> shapes)
    {
        _snapshot = snapshot;
        double gpus = shapes.Sum(s => s.Frequency * s.GpuCount * s.GpuMilli);
        _cpuPerGpu = gpus > 0 ? shapes.Sum(s => s.Frequency * s.CpuMilli) / gpus : 0;
        _memoryPerGpu = gpus > 0 ? shapes.Sum(s => s.Frequency * s.MemoryMib) / gpus : 0;
    }

    /// <summary>CPU milli the typical tasks need per milli-GPU.</summary>
    public double CpuPerGpuMilli => _cpuPerGpu;

    /// <summary>Stranded milli-GPU of a node with the given free capacity.</summary>
    public double Of(double cpuFree, double memoryFree, double gpuFree)
    {
        double byCpu = _cpuPerGpu > 0 ? gpuFree - (Math.Max(0, cpuFree) / _cpuPerGpu) : 0;
        double byMemory = _memoryPerGpu > 0 ? gpuFree - (Math.Max(0, memoryFree) / _memoryPerGpu) : 0;
        return Math.Max(0, Math.Max(byCpu, byMemory));
    }

    /// <summary>How many more milli-GPU the node strands if the request is placed on it.</summary>
    public double Increase(int node, in ResolvedRequest request)
    {
        double cpu = _snapshot.CpuFree(node), memory = _snapshot.MemoryFree(node), gpu = _snapshot.GpuFreeTotal(node);
        return Of(cpu - request.CpuMilli, memory - request.MemoryMib, gpu - ((double)request.GpuCount * request.GpuMilli)) - Of(cpu, memory, gpu);
    }
}
