namespace NeoCloud.Simulator.Reliability;

/// <summary>The tolerances the <see cref="AlertScorer"/> judges alerts with.</summary>
internal sealed record AlertScoring
{
    /// <summary>An alert still counts for a fault that ended this long before the alert started (its last symptoms).</summary>
    public TimeSpan Slack { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A fault may begin this long after an alert's start and still explain it: both fall in one scrape tick.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Faults and breaches that began this close to the end of the run are too recent to judge recall on.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromMinutes(15);
}
