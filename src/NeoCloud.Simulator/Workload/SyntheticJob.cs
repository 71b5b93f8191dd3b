namespace NeoCloud.Simulator.Workload;

/// <summary>A job of the synthetic load: the GPUs it holds and when it ends.</summary>
internal sealed class SyntheticJob(int id, int[] gpus, int nodeCount, long endTick)
{
    public int Id { get; } = id;
    public int[] Gpus { get; } = gpus;
    public int NodeCount { get; } = nodeCount;
    public long EndTick { get; } = endTick;
    public bool Done { get; set; }

    /// <summary>Position in the running list, for O(1) removal.</summary>
    public int RunningIndex { get; set; }
}
