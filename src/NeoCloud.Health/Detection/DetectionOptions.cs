namespace NeoCloud.Health.Detection;

/// <summary>
/// Detector thresholds. Defaults follow FACTS.md where it gives a figure (InfiniBand thresholds are NVSentinel's; an XID
/// burst ends after 3 minutes of silence as in NVIDIA Fleet Intelligence) and are our own choice otherwise.
/// </summary>
public sealed record DetectionOptions
{
    /// <summary>An XID burst ends after this much silence; XIDs inside one burst on one GPU raise one finding.</summary>
    public TimeSpan XidBurstSilence { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Rounds in a row a level signal must hold before a finding is raised (hysteresis: one spike raises nothing).</summary>
    public int RaiseAfterRounds { get; init; } = 2;

    /// <summary>Rounds in a row a level signal must be back to normal before its episode ends and a new one may be raised.</summary>
    public int ClearAfterRounds { get; init; } = 4;

    /// <summary>Rounds in a row a node must miss before HEARTBEAT-MISSING.</summary>
    public int HeartbeatMissedRounds { get; init; } = 2;

    public double SbePerHour { get; init; } = 100;
    public double GpuTempLimitC { get; init; } = 87;
    public double MemoryTempLimitC { get; init; } = 95;
    public double PcieReplaysPerMinute { get; init; } = 10;
    public double NvlinkCrcPerMinute { get; init; } = 100;
    public double NvlinkReplaysPerMinute { get; init; } = 100;

    public double SymbolErrorsPerHourFatal { get; init; } = 120;
    public double SymbolErrorsPerSecond { get; init; } = 10;
    public double LinkErrorRecoveriesPerMinute { get; init; } = 5;
    public double RcvErrorsPerSecond { get; init; } = 10;
    public double XmitDiscardsPerSecond { get; init; } = 100;

    /// <summary>This many degradation episodes on one port within <see cref="RepeatedDegradationWindow"/> is a part to replace (NVSentinel: 3 in 1 h).</summary>
    public int RepeatedDegradations { get; init; } = 3;

    public TimeSpan RepeatedDegradationWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A GPU is a straggler when its SM clock (or utilisation) is below this fraction of its gang's median.</summary>
    public double StragglerRatio { get; init; } = 0.8;

    /// <summary>Smallest gang a straggler is looked for in (peers are needed to compare against).</summary>
    public int StragglerMinPeers { get; init; } = 4;
}
