namespace NeoCloud.Simulator.Workload;

/// <summary>An interrupted synthetic job waiting to restart: its size, the work left after its last checkpoint, and the faults it restarts for.</summary>
internal sealed record RestartRequest(int Size, long RemainingTicks, long SavedTicks, float Intensity, float Footprint, string[] For);
