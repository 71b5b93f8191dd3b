namespace NeoCloud.Scheduling.Placement;

/// <summary>What one node offers to placement: CPU, memory and a number of GPUs of one model.</summary>
public sealed record NodeCapacity(string Name, int CpuMilli, int MemoryMib, int GpuCount, string GpuModel);
