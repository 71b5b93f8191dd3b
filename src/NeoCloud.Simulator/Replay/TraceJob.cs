namespace NeoCloud.Simulator.Replay;

/// <summary>One job of a replayed trace: when it arrives (from the trace's start), its queue, its GPUs and how long it runs.</summary>
public sealed record TraceJob(string Id, TimeSpan Arrival, string Queue, int Gpus, TimeSpan Runtime);
