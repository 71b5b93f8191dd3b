namespace NeoCloud.Simulator.Workload;

/// <summary>A job of the synthetic load: the GPUs it holds, when it ends, and how far its work has come.</summary>
internal sealed class SyntheticJob(int id, int[] gpus, int nodeCount, long endTick)
{
    public int Id { get; } = id;
    public int[] Gpus { get; } = gpus;
    public int NodeCount { get; } = nodeCount;
    public long EndTick { get; } = endTick;
    public bool Done { get; set; }

    /// <summary>Position in the running list, for O(1) removal.</summary>
    public int RunningIndex { get; set; }

    /// <summary>The tick this attempt started.</summary>
    public long StartTick { get; init; }

    /// <summary>Ticks of work the job had saved (checkpointed) when this attempt started.</summary>
    public long SavedTicks { get; init; }

    /// <summary>The last tick this attempt checkpointed at (its start, until it checkpoints).</summary>
    public long LastCheckpointTick { get; set; }

    public float Intensity { get; init; }
    public float Footprint { get; init; }

    /// <summary>The faults that interrupted earlier attempts of this job and still wait for it to run again.</summary>
    public IReadOnlyList<string> RestartFor { get; init; } = [];
}
