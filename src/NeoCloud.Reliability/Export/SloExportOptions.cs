using NeoCloud.Reliability.Budgets;

namespace NeoCloud.Reliability.Export;

/// <summary>
/// Defaults for every SLO the exporter writes (an SLO's own <c>alerting</c> overrides them): the burn-rate windows, the
/// traffic guard, and whether to write <c>promtool test rules</c> files beside the rules.
/// </summary>
public sealed record SloExportOptions
{
    public IReadOnlyList<BurnRateWindow> Windows { get; init; } = BurnRatePolicy.Workbook;

    /// <summary>Events a long window must hold before it may alert (0 turns the guard off).</summary>
    public double MinimumEvents { get; init; } = BurnRatePolicy.DefaultMinimumEvents;

    public bool IncludeTests { get; init; } = true;
}
