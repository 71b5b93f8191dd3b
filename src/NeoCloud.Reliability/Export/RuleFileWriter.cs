using System.Globalization;
using NeoCloud.Reliability.Budgets;
using YamlDotNet.RepresentationModel;
using static NeoCloud.Reliability.Export.YamlText;

namespace NeoCloud.Reliability.Export;

/// <summary>
/// Writes a Prometheus rule file for SLOs, Sloth-style: per objective a group of SLI recording rules (one error ratio per
/// window), a group of meta rules (objective, budget, burn rates, budget remaining) and a group of multiwindow
/// multi-burn-rate alerts (page and ticket) with a minimum-traffic guard.
/// </summary>
internal static class RuleFileWriter
{
    public static YamlMappingNode Groups(IEnumerable<SloRuleSet> sets)
    {
        var groups = new List<YamlNode>();
        foreach (var set in sets)
        {
            groups.Add(SliGroup(set));
            groups.Add(MetaGroup(set));
            if (AlertGroup(set) is { } alerts)
            {
                groups.Add(alerts);
            }
        }

        return Map(("groups", List(groups)));
    }

    private static YamlMappingNode SliGroup(SloRuleSet set)
    {
        var rules = new List<YamlNode>();
        foreach (var window in set.SliWindows)
        {
            string w = PromDuration.Format(window);
            rules.Add(Record(RuleNames.ErrorRatio(w), set.ErrorRatioExpr(window), set.Labels.Append(new(RuleNames.WindowLabel, w))));
        }

        if (set.HasTraffic)
        {
            foreach (var window in set.Windows.Select(w => w.LongWindow).Distinct().Order())
            {
                string w = PromDuration.Format(window);
                rules.Add(Record(RuleNames.TotalRate(w), set.TotalRateExpr(window), set.Labels.Append(new(RuleNames.WindowLabel, w))));
            }
        }

        return Map(("name", Text($"neocloud-slo-sli-recordings-{set.Id}")), ("rules", List(rules)));
    }

    private static YamlMappingNode MetaGroup(SloRuleSet set)
    {
        string s = set.Selector;
        string idLabels = string.Join(", ", set.Labels.Select(l => l.Key));
        string shortest = PromDuration.Format(set.ShortestWindow);
        string period = PromDuration.Format(set.Period);
        string budget = set.Objective.ErrorBudget.ToString(CultureInfo.InvariantCulture);
        string periodDays = ((decimal)set.Period.Ticks / TimeSpan.TicksPerDay).ToString(CultureInfo.InvariantCulture);
        var rules = new List<YamlNode>
        {
            // The period's error ratio is the mean of the shortest window's ratios over the period, as Sloth derives it:
            // one range query over cheap recorded samples instead of a 30-day rate over raw series.
            Record(RuleNames.ErrorRatio(period),
                $"sum_over_time({RuleNames.ErrorRatio(shortest)}{s}[{period}]) / ignoring ({RuleNames.WindowLabel}) count_over_time({RuleNames.ErrorRatio(shortest)}{s}[{period}])",
                set.Labels.Append(new(RuleNames.WindowLabel, period))),
            Record(RuleNames.Objective, $"vector({set.Objective.Target.ToString(CultureInfo.InvariantCulture)})", set.Labels),
            Record(RuleNames.ErrorBudget, $"vector({budget})", set.Labels),
            Record(RuleNames.TimePeriodDays, $"vector({periodDays})", set.Labels),
            Record(RuleNames.CurrentBurnRate,
                $"{RuleNames.ErrorRatio(shortest)}{s} / on ({idLabels}) group_left {RuleNames.ErrorBudget}{s}", set.Labels),
            Record(RuleNames.PeriodBurnRate,
                $"{RuleNames.ErrorRatio(period)}{s} / on ({idLabels}) group_left {RuleNames.ErrorBudget}{s}", set.Labels),
            Record(RuleNames.PeriodErrorBudgetRemaining, $"1 - {RuleNames.PeriodBurnRate}{s}", set.Labels),
        };
        return Map(("name", Text($"neocloud-slo-meta-recordings-{set.Id}")), ("rules", List(rules)));
    }

    private static YamlMappingNode? AlertGroup(SloRuleSet set)
    {
        var rules = new List<YamlNode>();
        foreach (var severity in new[] { AlertSeverity.Page, AlertSeverity.Ticket })
        {
            var windows = set.Windows.Where(w => w.Severity == severity).ToList();
            if (windows.Count == 0)
            {
                continue;
            }

            rules.Add(Map(
                ("alert", Text(AlertName(severity))),
                ("expr", Text(AlertExpr(set, windows))),
                ("labels", Labels(AlertLabels(severity))),
                ("annotations", Labels(Annotations(set, severity)))));
        }

        return rules.Count == 0 ? null : Map(("name", Text($"neocloud-slo-alerts-{set.Id}")), ("rules", List(rules)));
    }

    public static string AlertName(AlertSeverity severity) => severity == AlertSeverity.Page ? RuleNames.PageAlert : RuleNames.TicketAlert;

    public static IEnumerable<KeyValuePair<string, string>> AlertLabels(AlertSeverity severity) =>
        [new("severity", severity == AlertSeverity.Page ? "page" : "ticket")];

    /// <summary>Static text only: promtool compares annotations exactly, and a template would make every test depend on $value.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Annotations(SloRuleSet set, AlertSeverity severity) =>
    [
        new("summary", $"SLO {set.Slo.Service}/{set.Slo.Name} ({set.Objective.Name}) is burning its error budget too fast"),
        new("description", severity == AlertSeverity.Page
            ? $"At this burn rate the {PromDuration.Format(set.Period)} error budget of the {set.Objective.Target.ToString(CultureInfo.InvariantCulture)} objective is gone within days: act now."
            : $"The {PromDuration.Format(set.Period)} error budget of the {set.Objective.Target.ToString(CultureInfo.InvariantCulture)} objective is being spent faster than it accrues."),
    ];

    /// <summary>
    /// Any window pair of the severity alerts when both its windows burn above the factor (the long window proves it is
    /// significant, the short one that it is still happening) and, with a guard, the long window saw enough events.
    /// </summary>
    private static string AlertExpr(SloRuleSet set, IReadOnlyList<BurnRateWindow> windows)
    {
        string s = set.Selector;
        string budget = set.Objective.ErrorBudget.ToString(CultureInfo.InvariantCulture);
        var branches = new List<string>();
        foreach (var w in windows)
        {
            string factor = w.FactorFor(set.Period).ToString("0.######", CultureInfo.InvariantCulture);
            string longW = PromDuration.Format(w.LongWindow);
            string shortW = PromDuration.Format(w.ShortWindow);
            string branch =
                $"(max({RuleNames.ErrorRatio(shortW)}{s} > ({factor} * {budget})) without ({RuleNames.WindowLabel})" +
                $" and max({RuleNames.ErrorRatio(longW)}{s} > ({factor} * {budget})) without ({RuleNames.WindowLabel})";
            if (set.HasTraffic)
            {
                string seconds = ((long)w.LongWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                branch += $" and max({RuleNames.TotalRate(longW)}{s} * {seconds} >= {SloRuleSet.Number(set.MinimumEvents)}) without ({RuleNames.WindowLabel})";
            }

            branches.Add(branch + ")");
        }

        return string.Join(" or ", branches);
    }

    private static YamlMappingNode Record(string name, string expr, IEnumerable<KeyValuePair<string, string>> labels) =>
        Map(("record", Text(name)), ("expr", Text(expr)), ("labels", Labels(labels)));
}
