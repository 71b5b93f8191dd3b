namespace NeoCloud.Health.Correlation;

/// <summary>How diagnosis correlates findings across the topology and the jobs.</summary>
public sealed record DiagnosisOptions
{
    /// <summary>How long port and heartbeat findings are held to see whether their siblings (same switch, same PDU) follow.</summary>
    public TimeSpan CorrelationWindow { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long application-class findings (XID 13, 31, 43, collective timeouts) are held to see whether other GPUs of the same job follow.</summary>
    public TimeSpan JobWindow { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A shared cause (switch, PDU) is blamed when at least this fraction of the nodes below it show the fault…</summary>
    public double SharedCauseFraction { get; init; } = 0.5;

    /// <summary>…and at least this many of them.</summary>
    public int SharedCauseMinNodes { get; init; } = 3;

    /// <summary>Application-class findings on one GPU this many times within <see cref="RepeatWindow"/> blame the GPU, not the job (NVSentinel: twice).</summary>
    public int RepeatOnGpu { get; init; } = 2;

    public TimeSpan RepeatWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a switch or PDU stays blamed after its diagnosis: port or heartbeat findings below it that arrive late
    /// (a slow exporter, a node that held on for a round) join the blame instead of being diagnosed one node at a time.
    /// </summary>
    public TimeSpan SharedCauseMemory { get; init; } = TimeSpan.FromMinutes(10);
}
