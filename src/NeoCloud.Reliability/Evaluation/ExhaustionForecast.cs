namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// When the period's remaining error budget runs out if the burn rate of <see cref="Window"/> goes on:
/// <see cref="TimeLeft"/> is zero once it is spent and null when this rate never spends it (no errors, or no events).
/// </summary>
public sealed record ExhaustionForecast(TimeSpan Window, double BurnRate, TimeSpan? TimeLeft);
