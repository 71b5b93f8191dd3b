using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Reliability;

/// <summary>
/// The SLIs the twin can measure from its own state, each tick, by the SLO name that asks for it: job success excluding
/// user errors (attempts that ran to their end over attempts that ended), GPU availability (GPU-time of GPUs that can take
/// work over all GPU-time) and training goodput (allocated GPU-time not lost to an interruption over allocated GPU-time).
/// </summary>
internal sealed class TwinIndicators(FleetTwin twin)
{
    public const string JobSuccess = "job-success";
    public const string GpuAvailability = "gpu-availability";
    public const string TrainingGoodput = "training-goodput";

    public static IReadOnlyList<string> Names { get; } = [GpuAvailability, JobSuccess, TrainingGoodput];

    private long _completed;
    private long _interrupted;
    private double _lostSeen;
    private long _lostOwed;

    /// <summary>Bad and total events of the tick that just ran, per indicator (indexed as <see cref="Names"/>).</summary>
    public TickCounts Measure(bool gpuAvailability)
    {
        var synthetic = twin.Synthetic;
        long completed = synthetic.Completed - _completed;
        long interrupted = synthetic.Interrupted - _interrupted;
        _completed = synthetic.Completed;
        _interrupted = synthetic.Interrupted;

        long tickSeconds = Math.Max(1, (long)Math.Round(twin.Options.Tick.TotalSeconds));
        long allocated = twin.State.AllocatedGpus * tickSeconds;

        // Work is lost all at once when an attempt is interrupted; a window cannot hold more bad GPU-time than it had, so
        // a loss larger than this tick's allocated time is owed to the following ticks rather than clipped away.
        double lost = synthetic.GpuSecondsLost;
        _lostOwed += (long)Math.Round(lost - _lostSeen);
        _lostSeen = lost;
        long lostNow = Math.Min(_lostOwed, allocated);
        _lostOwed -= lostNow;

        long unusable = 0;
        long gpuSeconds = 0;
        if (gpuAvailability)
        {
            var state = twin.State;
            var nodeOf = state.Gpus.NodeOf;
            int gpus = state.Gpus.Count;
            for (int g = 0; g < gpus; g++)
            {
                int n = nodeOf[g];
                if (!state.CanRun(g) || state.GpuCordoned[g] || state.NodeCordoned[n] || state.NodeRebooting[n])
                {
                    unusable++;
                }
            }

            unusable *= tickSeconds;
            gpuSeconds = gpus * tickSeconds;
        }

        return new TickCounts(
            new(unusable, gpuSeconds),
            new(interrupted, completed + interrupted),
            new(lostNow, allocated));
    }

    /// <summary>The index of an indicator in <see cref="Names"/>, or -1 when the twin cannot measure it.</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
