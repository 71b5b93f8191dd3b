namespace NeoCloud.Scheduling.Fragmentation;

/// <summary>One kind of task in a workload and how often it arrives (the frequencies of a <see cref="TypicalTasks"/> sum to 1).</summary>
public sealed record TaskShape(int CpuMilli, int MemoryMib, int GpuCount, int GpuMilli, string GpuModels, double Frequency)
{
    /// <summary>The allowed GPU models, or null for any.</summary>
    public IReadOnlyList<string>? GpuModelList => GpuModels.Length == 0 ? null : GpuModels.Split('|');
}
