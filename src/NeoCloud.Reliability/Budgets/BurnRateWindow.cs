namespace NeoCloud.Reliability.Budgets;

/// <summary>
/// One multiwindow burn-rate alert: it fires when both the long and the short window burn faster than the factor that
/// would spend <see cref="BudgetPercent"/> of the period's budget within the long window. The short window makes it stop
/// soon after the burning stops.
/// </summary>
public sealed record BurnRateWindow(AlertSeverity Severity, decimal BudgetPercent, TimeSpan LongWindow, TimeSpan ShortWindow)
{
    /// <summary>The burn rate (multiple of the budget's even spend) this window alerts above, for an SLO period.</summary>
    public decimal FactorFor(TimeSpan period) => BurnRatePolicy.Factor(BudgetPercent, period, LongWindow);
}
