namespace NeoCloud.Simulator.Twin;

/// <summary>How the twin runs: tick length, the synthetic load, and fault rates. Defaults reproduce a busy production fleet.</summary>
public sealed record SimulationOptions
{
    /// <summary>Unexpected interruptions per GPU-hour in Llama 3 405B pre-training: 419 over 16,384 GPUs × 54 days.</summary>
    public const double LlamaInterruptionsPerGpuHour = 419.0 / (16_384.0 * 54 * 24);

    /// <summary>Virtual time advanced per tick.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where virtual time starts.</summary>
    public DateTimeOffset Start { get; init; } = Time.VirtualClock.DefaultStart;

    /// <summary>When false, nothing runs on the GPUs unless an executor assigns it through <see cref="Workload.WorkloadControl"/>.</summary>
    public bool SyntheticLoad { get; init; } = true;

    /// <summary>The share of schedulable GPUs the synthetic load keeps allocated.</summary>
    public double TargetAllocation { get; init; } = 0.75;

    /// <summary>When false, only scripted or directly injected faults happen.</summary>
    public bool RandomFaults { get; init; } = true;

    /// <summary>Scales every random fault rate (chaos drills use &gt; 1).</summary>
    public double FaultRateMultiplier { get; init; } = 1.0;

    /// <summary>Rate of the interruption causes of the Llama 3 breakdown, per GPU-hour.</summary>
    public double InterruptionsPerGpuHour { get; init; } = LlamaInterruptionsPerGpuHour;

    /// <summary>PDU failures per PDU-hour (about one per PDU every 30 years).</summary>
    public double PduFailuresPerPduHour { get; init; } = 1.0 / (30 * 365 * 24);

    /// <summary>Whole leaf switch failures per switch-hour (about one per switch every 20 years).</summary>
    public double LeafSwitchFailuresPerSwitchHour { get; init; } = 1.0 / (20 * 365 * 24);

    /// <summary>Fail-slow GPUs (non-fatal stragglers) per GPU-hour.</summary>
    public double StragglersPerGpuHour { get; init; } = 2.0e-5;

    /// <summary>
    /// True (the default): the synthetic load never places work on broken hardware, as if an oracle fenced it at once.
    /// False: placement sees only what the control plane fenced (quarantined or remediated GPUs, cordoned nodes, nodes
    /// that do not answer); work placed on a broken GPU it does not know about fails at start and is requeued. The
    /// self-healing simulation runs with false, so detection and remediation decide how fast work gets away from faults.
    /// </summary>
    public bool PlacementSeesFaults { get; init; } = true;

    /// <summary>
    /// When true, synthetic jobs interrupted by a fault or evicted by remediation are requeued and restarted (ahead of
    /// new work) from their last checkpoint, as a job controller would; when false they simply end.
    /// </summary>
    public bool RestartInterruptedWork { get; init; }

    /// <summary>How often synthetic jobs checkpoint: work since the last checkpoint is lost when a job is interrupted.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a job running on a GPU with silent data corruption takes to notice wrong numbers and report them.</summary>
    public TimeSpan NumericAnomalyReportDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time a technician needs to reseat or replace a cable, or to restore a switch or a PDU.</summary>
    public TimeSpan FacilityRepairTime { get; init; } = TimeSpan.FromMinutes(45);

    /// <summary>Threads used for the per-GPU update; 1 keeps everything on the caller's thread. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Time a GPU reset takes (FACTS: far faster than a reboot; 1–2 minutes).</summary>
    public TimeSpan GpuResetTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Shortest and longest bare-metal reboot (FACTS: up to ~25–30 minutes).</summary>
    public TimeSpan MinRebootTime { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan MaxRebootTime { get; init; } = TimeSpan.FromMinutes(25);

    /// <summary>Time to swap a GPU (or its baseboard) and bring the node back.</summary>
    public TimeSpan GpuReplacementTime { get; init; } = TimeSpan.FromHours(4);

    internal void Validate()
    {
        if (Tick <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Tick), Tick, "The tick must be positive.");
        }

        if (CheckpointInterval <= TimeSpan.Zero || NumericAnomalyReportDelay < TimeSpan.Zero || FacilityRepairTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), "The checkpoint interval must be positive and the report and repair delays not negative.");
        }

        if (TargetAllocation is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TargetAllocation), TargetAllocation, "The target allocation is a share between 0 and 1.");
        }

        if (FaultRateMultiplier < 0 || InterruptionsPerGpuHour < 0 || PduFailuresPerPduHour < 0 || LeafSwitchFailuresPerSwitchHour < 0 || StragglersPerGpuHour < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FaultRateMultiplier), "Fault rates cannot be negative.");
        }
    }
}
