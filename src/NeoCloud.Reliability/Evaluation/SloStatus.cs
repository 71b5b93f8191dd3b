using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Evaluation;

/// <summary>
/// One objective of one SLO as the <see cref="SloBook"/> last evaluated it: its budget left, burn rates, forecasts and
/// the burn-rate windows firing at <see cref="EvaluatedAt"/>. Burn rates are NaN over a window without events;
/// <see cref="Windows"/> holds every window read (5m, 1h, 6h and each alert's long and short window).
/// </summary>
public sealed record SloStatus(
    string Slo,
    string Service,
    string Objective,
    string? Tenant,
    string? LineOfBusiness,
    decimal Target,
    TimeSpan Period,
    BudgetingMethod BudgetingMethod,
    double ErrorRatio,
    double BudgetRemaining,
    double CurrentBurnRate,
    double BurnRate1h,
    double BurnRate6h,
    double PeriodBurnRate,
    IReadOnlyList<WindowReading> Windows,
    IReadOnlyList<ExhaustionForecast> Forecasts,
    IReadOnlyList<BurnRateWindow> Firing,
    long EventsInPeriod,
    DateTimeOffset EvaluatedAt)
{
    /// <summary>The error budget as a ratio: 1 − target.</summary>
    public decimal ErrorBudget => 1m - Target;

    /// <summary>The most urgent severity firing, or null when nothing fires.</summary>
    public AlertSeverity? Severity =>
        Firing.Any(w => w.Severity == AlertSeverity.Page) ? AlertSeverity.Page
        : Firing.Count > 0 ? AlertSeverity.Ticket
        : null;
}
