namespace NeoCloud.Simulator.Workload;

/// <summary>The work one fault interrupted: how many jobs, how many still wait to run again, and when the last one did.</summary>
internal sealed class FaultWork
{
    public int Hit { get; set; }

    public int Pending { get; set; }

    public DateTimeOffset? AllRunningAt { get; set; }
}
