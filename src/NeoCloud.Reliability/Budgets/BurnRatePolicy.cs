namespace NeoCloud.Reliability.Budgets;

/// <summary>
/// The multiwindow multi-burn-rate policy of the Google SRE workbook (as Sloth ships it): page at 2% of the budget in 1h
/// (short 5m) or 5% in 6h (30m), ticket at 10% in 1d (2h) or 10% in 3d (6h). The windows stay the same for any period;
/// the factors follow from it: factor = budget% × period hours / 100 / long window hours (14.4, 6, 3 and 1 for 30 days).
/// </summary>
public static class BurnRatePolicy
{
    /// <summary>Events a long window must hold before it may alert: one failure on an idle service is not an outage.</summary>
    public const double DefaultMinimumEvents = 10;

    public static IReadOnlyList<BurnRateWindow> Workbook { get; } =
    [
        new(AlertSeverity.Page, 2m, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
        new(AlertSeverity.Page, 5m, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
        new(AlertSeverity.Ticket, 10m, TimeSpan.FromDays(1), TimeSpan.FromHours(2)),
        new(AlertSeverity.Ticket, 10m, TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
    ];

    /// <summary>factor = budget% × period hours / 100 / long window hours, in decimal so 14.4 stays 14.4 in the rules.</summary>
    public static decimal Factor(decimal budgetPercent, TimeSpan period, TimeSpan longWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(longWindow, TimeSpan.Zero);
        decimal periodHours = (decimal)period.Ticks / TimeSpan.TicksPerHour;
        decimal longHours = (decimal)longWindow.Ticks / TimeSpan.TicksPerHour;
        return budgetPercent * periodHours / 100m / longHours;
    }

    /// <summary>The budget share a window spends at <paramref name="factor"/>: the inverse of <see cref="Factor"/>.</summary>
    public static decimal BudgetPercent(decimal factor, TimeSpan period, TimeSpan longWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        decimal periodHours = (decimal)period.Ticks / TimeSpan.TicksPerHour;
        decimal longHours = (decimal)longWindow.Ticks / TimeSpan.TicksPerHour;
        return factor * longHours * 100m / periodHours;
    }
}
