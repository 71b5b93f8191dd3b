namespace NeoCloud.Scheduling.Placement;

/// <summary>A request bound to one snapshot (PreFilter): its allowed GPU models as a bit set over the snapshot's models.</summary>
public readonly struct ResolvedRequest(PlacementRequest request, ulong modelMask)
{
    public PlacementRequest Request { get; } = request;
    public int CpuMilli { get; } = request.CpuMilli;
    public int MemoryMib { get; } = request.MemoryMib;
    public int GpuCount { get; } = request.GpuCount;
    public int GpuMilli { get; } = request.GpuMilli;

    /// <summary>Bit m set when the snapshot's GPU model m is allowed (all bits when any model is).</summary>
    public ulong ModelMask { get; } = modelMask;

    public bool IsShare => GpuCount == 1 && GpuMilli < PlacementRequest.WholeGpu;
}
