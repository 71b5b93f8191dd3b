namespace NeoCloud.Scheduling.Placement;

/// <summary>Where a request was placed: a node of the snapshot and the GPUs on it (bit i = GPU i of the node).</summary>
public readonly record struct Binding(int Node, ulong GpuMask)
{
    public int GpuCount => System.Numerics.BitOperations.PopCount(GpuMask);
}
