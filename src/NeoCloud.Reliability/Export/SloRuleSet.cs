using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Export;

/// <summary>Everything the rules of one objective of one SLO are written from: its id, labels, windows and SLI expressions.</summary>
internal sealed partial class SloRuleSet
{
    private static readonly TimeSpan DefaultSlice = TimeSpan.FromMinutes(1);

    public SloRuleSet(SloSpec slo, SloObjective objective, SloExportOptions options)
    {
        Slo = slo;
        Objective = objective;
        bool single = slo.Objectives.Count == 1;
        Id = single ? $"{slo.Service}-{slo.Name}" : $"{slo.Service}-{slo.Name}-{objective.Name}";
        var labels = new List<KeyValuePair<string, string>>
        {
            new(RuleNames.IdLabel, Id),
            new(RuleNames.ServiceLabel, slo.Service),
            new(RuleNames.SloLabel, slo.Name),
        };
        if (!single)
        {
            labels.Add(new(RuleNames.ObjectiveLabel, objective.Name));
        }

        if (slo.Tenant is not null)
        {
            labels.Add(new(RuleNames.TenantLabel, slo.Tenant));
        }

        if (slo.LineOfBusiness is not null)
        {
            labels.Add(new(RuleNames.LineOfBusinessLabel, slo.LineOfBusiness));
        }

        Labels = labels;
        Windows = slo.Alerting.Windows ?? options.Windows;
        MinimumEvents = slo.Alerting.MinimumEvents ?? options.MinimumEvents;
        Period = slo.TimeWindow.Duration;
        var used = new SortedSet<TimeSpan>(Windows.SelectMany(w => new[] { w.LongWindow, w.ShortWindow }));
        used.Add(TimeSpan.FromMinutes(5)); // the current burn rate, as Sloth reports it
        used.Remove(Period);
        SliWindows = [.. used];
    }

    public SloSpec Slo { get; }

    public SloObjective Objective { get; }

    public string Id { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    public IReadOnlyList<BurnRateWindow> Windows { get; }

    public double MinimumEvents { get; }

    public TimeSpan Period { get; }

    /// <summary>Every window an error ratio is recorded for, shortest first; the period itself is derived from the shortest.</summary>
    public IReadOnlyList<TimeSpan> SliWindows { get; }

    public TimeSpan ShortestWindow => SliWindows[0];

    /// <summary>Whether a total event rate exists to guard on: a threshold indicator counts time, not events.</summary>
    public bool HasTraffic => Slo.Indicator.Kind == SliKind.Ratio && MinimumEvents > 0;

    /// <summary>The label matcher selecting this objective's series: <c>{neocloud_id="..."}</c>.</summary>
    public string Selector => $"{{{RuleNames.IdLabel}=\"{Escape(Id)}\"}}";

    /// <summary>The error ratio of the indicator over <paramref name="window"/>, as a PromQL expression.</summary>
    public string ErrorRatioExpr(TimeSpan window)
    {
        var indicator = Slo.Indicator;
        string w = PromDuration.Format(window);
        if (indicator.Kind == SliKind.Threshold)
        {
            // A slice is good when the value compares as the objective says; the error ratio is the share of bad slices.
            string slice = PromDuration.Format(Objective.TimeSliceWindow ?? DefaultSlice);
            string op = Objective.Operator switch
            {
                ThresholdOperator.Lt => "<",
                ThresholdOperator.Lte => "<=",
                ThresholdOperator.Gt => ">",
                _ => ">=",
            };
            return $"1 - avg_over_time(((({Substitute(indicator.Value!, slice)})) {op} bool {Number(Objective.Value ?? 0)})[{w}:{slice}])";
        }

        switch (Slo.BudgetingMethod)
        {
            case BudgetingMethod.Timeslices:
            {
                string slice = PromDuration.Format(Objective.TimeSliceWindow ?? DefaultSlice);
                string sliceTarget = Objective.TimeSliceTarget!.Value.ToString(CultureInfo.InvariantCulture);
                return $"1 - avg_over_time(((1 - ({EventErrorRatio(slice)})) >= bool {sliceTarget})[{w}:{slice}])";
            }

            case BudgetingMethod.RatioTimeslices:
            {
                string slice = PromDuration.Format(Objective.TimeSliceWindow ?? DefaultSlice);
                return $"avg_over_time(({EventErrorRatio(slice)})[{w}:{slice}])";
            }

            default:
                return EventErrorRatio(w);
        }
    }

    /// <summary>Events per second over <paramref name="window"/> (ratio indicators only).</summary>
    public string TotalRateExpr(TimeSpan window) => Substitute(Slo.Indicator.Total!, PromDuration.Format(window));

    private string EventErrorRatio(string window)
    {
        var indicator = Slo.Indicator;
        string total = Substitute(indicator.Total!, window);
        return indicator.Bad is { } bad
            ? $"({Substitute(bad, window)}) / ({total})"
            : $"1 - (({Substitute(indicator.Good!, window)}) / ({total}))";
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Escape(string labelValue) => labelValue.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    [GeneratedRegex(@"\{\{\s*\.window\s*\}\}")]
    private static partial Regex WindowPlaceholder();

    internal static string Substitute(string query, string window) => WindowPlaceholder().Replace(query.Trim(), window);
}
