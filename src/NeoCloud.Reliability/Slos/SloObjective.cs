namespace NeoCloud.Reliability.Slos;

/// <summary>
/// One objective of an SLO: the fraction of good events or slices to keep (<see cref="Target"/>, in (0, 1)), for a threshold
/// indicator the comparison that is good, and for time-slice budgeting the slice's own target and length.
/// </summary>
public sealed record SloObjective(
    string Name,
    decimal Target,
    ThresholdOperator? Operator = null,
    double? Value = null,
    decimal? TimeSliceTarget = null,
    TimeSpan? TimeSliceWindow = null)
{
    /// <summary>The error budget as a ratio: 1 − target.</summary>
    public decimal ErrorBudget => 1m - Target;
}
