using NeoCloud.Scheduling.Cycles;

namespace NeoCloud.Server.Workloads;

/// <summary>How the host runs the job flow (<c>NeoCloud:Scheduling</c>); the defaults run it out of the box on the twin.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "NeoCloud:Scheduling";

    /// <summary>Whether the host schedules jobs at all (an edge-only host does not).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Wall time between scheduling cycles.</summary>
    public TimeSpan CycleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wall time between refreshes of which nodes and GPUs may take work (from the fleet's lifecycle and health).</summary>
    public TimeSpan CapacityRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public SchedulingPolicy Policy { get; set; } = SchedulingPolicy.NeoCloud;

    /// <summary>Half-life of the usage history fair share remembers.</summary>
    public TimeSpan UsageHalfLife { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Also preempt borrowing queues for fair share (reclaim of borrowed quota and priority preemption are always on).</summary>
    public bool FairSharePreemption { get; set; }

    /// <summary>
    /// New submissions after which placement's fragmentation scorer is rebuilt from the recent job shapes (the first job
    /// builds it; until then placement is plain best fit).
    /// </summary>
    public int ScorerRefreshJobs { get; set; } = 200;

    /// <summary>When no queue has been declared, declare a <c>default</c> queue (tenant <c>default</c>) owning the whole fleet.</summary>
    public bool DefaultQueue { get; set; } = true;
}
