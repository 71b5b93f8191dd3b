using NeoCloud.Reliability.Budgets;

namespace NeoCloud.Reliability.Slos;

/// <summary>
/// An SLO's own alerting settings: burn-rate windows that replace the defaults (null: the SRE workbook's four), and the
/// traffic guard — the fewest events a long window must hold before its burn rate may alert (null: the exporter's default).
/// </summary>
public sealed record SloAlerting(IReadOnlyList<BurnRateWindow>? Windows, double? MinimumEvents);
