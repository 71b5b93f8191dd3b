using NeoCloud.Reliability.Budgets;

namespace NeoCloud.Reliability.Evaluation;

/// <summary>What an SLO objective looks like at one instant: every window's burn, the budget left, forecasts and firing alerts.</summary>
public sealed record SloEvaluation(
    DateTimeOffset At,
    IReadOnlyList<WindowReading> Windows,
    WindowReading Period,
    double BudgetRemaining,
    IReadOnlyList<ExhaustionForecast> Forecasts,
    IReadOnlyList<BurnRateWindow> Firing)
{
    public bool Fires(AlertSeverity severity) => Firing.Any(w => w.Severity == severity);

    public WindowReading Reading(TimeSpan window) =>
        Windows.FirstOrDefault(r => r.Window == window) ?? (window == Period.Window ? Period : throw new ArgumentException($"The window {window} was not evaluated.", nameof(window)));
}
