namespace NeoCloud.Reliability.Anomalies;

/// <summary>
/// A metric that has stayed away from its seasonal baseline for the required run of samples: raised at
/// <see cref="At"/> (the sample that completed the run), away since <see cref="Since"/>, with the sample's
/// <see cref="Value"/>, the baseline's median as <see cref="Expected"/> and its robust z-<see cref="Score"/>.
/// </summary>
/// <remarks>The score is infinite when the baseline has no spread at all and the value left it.</remarks>
public sealed record Anomaly(
    string Metric,
    DateTimeOffset At,
    DateTimeOffset Since,
    double Value,
    double Expected,
    double Score,
    AnomalyDirection Direction);
