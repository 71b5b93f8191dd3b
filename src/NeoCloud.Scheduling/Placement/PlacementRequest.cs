namespace NeoCloud.Scheduling.Placement;

/// <summary>One task to place on one node: CPU, memory, and either whole GPUs (<see cref="GpuMilli"/> 1000) or a share of one GPU.</summary>
/// <param name="GpuModels">The GPU models allowed; null or empty means any model.</param>
public sealed record PlacementRequest(int CpuMilli, int MemoryMib, int GpuCount, int GpuMilli, IReadOnlyList<string>? GpuModels = null)
{
    /// <summary>Milli-GPU of one whole GPU.</summary>
    public const int WholeGpu = 1000;

    /// <summary>The GPU capacity this request takes, in milli-GPU.</summary>
    public long GpuMilliTotal => (long)GpuCount * GpuMilli;

    /// <summary>Why the request can never be placed on any node, or null when it is well formed.</summary>
    public string? Problem() =>
        CpuMilli < 0 ? "cpu_milli must not be negative"
        : MemoryMib < 0 ? "memory_mib must not be negative"
        : GpuCount < 0 ? "num_gpu must not be negative"
        : GpuCount == 0 && GpuMilli != 0 ? "gpu_milli must be 0 when num_gpu is 0"
        : GpuCount > 0 && GpuMilli is <= 0 or > WholeGpu ? "gpu_milli must be between 1 and 1000 when num_gpu > 0"
        : GpuCount > 1 && GpuMilli != WholeGpu ? "a request for several GPUs takes whole GPUs (gpu_milli 1000)"
        : null;
}
