using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Server.Reliability.Slos;

/// <summary>
/// One objective's figures at its last evaluation: error ratio and budget left over the period, burn rates, when the
/// budget runs out at the 1h and 6h burn, the windows read and the burn-rate alerts firing. Figures are null before the
/// first evaluation, and a burn rate is null over a window without events.
/// </summary>
public sealed record SloObjectiveView(
    string Objective,
    decimal Target,
    double? ErrorRatio,
    double? BudgetRemaining,
    double? BurnRate5m,
    double? BurnRate1h,
    double? BurnRate6h,
    double? BurnRatePeriod,
    long Events,
    string? ExhaustsIn1h,
    string? ExhaustsIn6h,
    DateTimeOffset? EvaluatedAt,
    IReadOnlyList<SloWindowView> Windows,
    IReadOnlyList<SloFiringView> FiringWindows)
{
    public static SloObjectiveView Of(SloObjective objective, SloStatus? status) => status is null
        ? new(objective.Name, objective.Target, null, null, null, null, null, null, 0, null, null, null, [], [])
        : new(
            objective.Name,
            objective.Target,
            Finite(status.ErrorRatio),
            Finite(status.BudgetRemaining),
            Finite(status.CurrentBurnRate),
            Finite(status.BurnRate1h),
            Finite(status.BurnRate6h),
            Finite(status.PeriodBurnRate),
            status.EventsInPeriod,
            Forecast(status, TimeSpan.FromHours(1)),
            Forecast(status, TimeSpan.FromHours(6)),
            status.EvaluatedAt,
            [.. status.Windows.Select(w => new SloWindowView(PromDuration.Format(w.Window), w.Bad, w.Total, Finite(w.ErrorRatio), Finite(w.BurnRate)))],
            [.. status.Firing.Select(w => new SloFiringView(
                w.Severity.ToString().ToLowerInvariant(), PromDuration.Format(w.LongWindow), PromDuration.Format(w.ShortWindow), (double)w.FactorFor(status.Period)))]);

    /// <summary>"never" at a burn that does not spend the budget, the time left otherwise (0 when spent).</summary>
    private static string? Forecast(SloStatus status, TimeSpan window)
    {
        var forecast = status.Forecasts.FirstOrDefault(f => f.Window == window);
        return forecast is null ? null : forecast.TimeLeft is { } left ? PromDuration.Format(TimeSpan.FromMinutes(Math.Floor(left.TotalMinutes))) : "never";
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
