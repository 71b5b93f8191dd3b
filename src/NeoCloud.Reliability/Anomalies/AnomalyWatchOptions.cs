namespace NeoCloud.Reliability.Anomalies;

/// <summary>
/// The baseline every watched series gets and how long an anomaly alert outlives its last anomalous step. The defaults
/// (15-minute steps, daily season in hourly slots, 3 past days) cost about 3 KB per series, so a region can watch one
/// metric per node.
/// </summary>
public sealed record AnomalyWatchOptions
{
    public TimeSpan Step { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan Season { get; init; } = TimeSpan.FromDays(1);

    public TimeSpan SlotWidth { get; init; } = TimeSpan.FromHours(1);

    public int Seasons { get; init; } = 3;

    public AnomalyDetectorOptions Detector { get; init; } = new();

    /// <summary>An anomaly alert keeps firing this long after the series came back inside the baseline.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The severity label of anomaly alerts: a ticket for a person to look at, never a page on its own.</summary>
    public string Severity { get; init; } = "info";
}
