namespace NeoCloud.Workloads.Specs;

/// <summary>
/// What one replica needs: whole GPUs (<see cref="GpuMilli"/> 1000), or one share of a GPU (a fraction or a MIG
/// profile, <see cref="GpuCount"/> 1), or no GPU at all; the GPU models it may run on; host CPU and memory.
/// </summary>
/// <param name="GpuCount">GPUs per replica: 0 (CPU only), 1 for a share, or the number of whole GPUs.</param>
/// <param name="GpuMilli">Milli-GPU taken on each of those GPUs: 1000 for whole GPUs, 1..999 for a share, 0 without GPUs.</param>
/// <param name="MigProfile">The MIG profile the share came from (e.g. <c>1g.10gb</c>), or null.</param>
/// <param name="GpuTypes">Catalogue names of the allowed GPU models (<c>h100-sxm5-80gb</c>); empty means any model.</param>
public sealed record ReplicaResources(int GpuCount, int GpuMilli, string? MigProfile, IReadOnlyList<string> GpuTypes, int CpuMilli, int MemoryMib)
{
    /// <summary>Whether the replica takes a share of one GPU rather than whole GPUs.</summary>
    public bool IsFractional => GpuCount == 1 && GpuMilli < 1000;
}
