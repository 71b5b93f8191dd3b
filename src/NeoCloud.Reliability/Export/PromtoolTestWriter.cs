using System.Globalization;
using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Slos;
using YamlDotNet.RepresentationModel;
using static NeoCloud.Reliability.Export.YamlText;

namespace NeoCloud.Reliability.Export;

/// <summary>
/// Writes <c>promtool test rules</c> files for event-counted (Occurrences) ratio SLOs. An SLO's own queries read metrics a
/// test cannot know, so the tests run a twin of its rule file whose indicator reads one synthetic counter
/// (<c>neocloud_slo_test_requests_total{outcome="good|bad"}</c>); every other rule — windows, factors, guard, budget — is
/// written by the same code as the real file. Scenarios: a total outage pages within the short window, an error ratio of
/// half the budget never alerts, an idle service with a single failure does not page (the guard), plus the meta values.
/// </summary>
internal static class PromtoolTestWriter
{
    public const string TestMetric = "neocloud_slo_test_requests_total";
    private const int RequestsPerMinute = 600;
    private const int Minutes = 240;

    public static bool CanTest(SloSpec slo) => slo.Indicator.Kind == SliKind.Ratio && slo.BudgetingMethod == BudgetingMethod.Occurrences;

    /// <summary>The SLO with its indicator replaced by the synthetic counter, each objective keeping its own series.</summary>
    public static SloSpec Twin(SloSpec slo) => slo with
    {
        Indicator = SliIndicator.Ratio(
            good: null,
            bad: $"sum(rate({TestMetric}{{outcome=\"bad\"}}[{{{{.window}}}}]))",
            total: $"sum(rate({TestMetric}[{{{{.window}}}}]))"),
    };

    /// <summary>
    /// The scenarios of one SLO. Its objectives share the indicator, so each scenario feeds one set of series and expects,
    /// per objective, what that objective's own factors and budget imply.
    /// </summary>
    public static YamlMappingNode Tests(string ruleFile, IReadOnlyList<SloRuleSet> sets)
    {
        string id = $"{sets[0].Slo.Service}-{sets[0].Slo.Name}";
        double halfBudget = sets.Min(s => (double)s.Objective.ErrorBudget) / 2;
        var tests = new List<YamlNode>
        {
            Outage(id, sets),
            Steady(id, sets, "an error ratio of half the budget never alerts", halfBudget),
            Steady(id, sets, "a constant 100% error rate alerts", 1.0),
        };
        if (sets.Any(s => s.HasTraffic))
        {
            tests.Add(IdleWithOneFailure(id, sets));
        }

        tests.Add(Meta(id, sets));
        return Map(
            ("rule_files", List([Text(ruleFile)])),
            ("evaluation_interval", Plain("1m")),
            ("tests", List(tests)));
    }

    /// <summary>Healthy traffic for 30 minutes, then every request fails: silent before, paging within the short window.</summary>
    private static YamlMappingNode Outage(string id, IReadOnlyList<SloRuleSet> sets)
    {
        int start = 30;
        string good = $"0+{RequestsPerMinute}x{start} {RequestsPerMinute * start}x{Minutes - start}";
        string bad = $"0x{start} {RequestsPerMinute}+{RequestsPerMinute}x{Minutes - start - 1}";
        var shortest = sets.SelectMany(s => s.Windows).Where(w => w.Severity == AlertSeverity.Page).Select(w => w.ShortWindow)
            .DefaultIfEmpty(TimeSpan.FromMinutes(5)).Max();
        int after = start + (int)Math.Ceiling(shortest.TotalMinutes);
        return Map(
            ("name", Text($"{id}: a total outage pages within the short window")),
            ("interval", Plain("1m")),
            ("input_series", List([Series("good", good), Series("bad", bad)])),
            ("alert_rule_test", List(
            [
                AlertTest(sets, AlertSeverity.Page, start - 1, _ => false),
                AlertTest(sets, AlertSeverity.Page, after, s => Fires(s, AlertSeverity.Page, 1.0)),
            ])));
    }

    private static YamlMappingNode Steady(string id, IReadOnlyList<SloRuleSet> sets, string name, double errorRatio)
    {
        double badPerMinute = RequestsPerMinute * errorRatio;
        double goodPerMinute = RequestsPerMinute - badPerMinute;
        var alertTests = new List<YamlNode>();
        foreach (int at in new[] { 10, 90, Minutes })
        {
            alertTests.Add(AlertTest(sets, AlertSeverity.Page, at, s => Fires(s, AlertSeverity.Page, errorRatio)));
            alertTests.Add(AlertTest(sets, AlertSeverity.Ticket, at, s => Fires(s, AlertSeverity.Ticket, errorRatio)));
        }

        return Map(
            ("name", Text($"{id}: {name}")),
            ("interval", Plain("1m")),
            ("input_series", List([Series("good", $"0+{SloRuleSet.Number(goodPerMinute)}x{Minutes}"), Series("bad", $"0+{SloRuleSet.Number(badPerMinute)}x{Minutes}")])),
            ("alert_rule_test", List(alertTests)));
    }

    /// <summary>One request in hours, and it failed: a 100% error ratio that the traffic guard keeps from paging.</summary>
    private static YamlMappingNode IdleWithOneFailure(string id, IReadOnlyList<SloRuleSet> sets)
    {
        var exprTests = new List<YamlNode>();
        foreach (var set in sets)
        {
            var longest = set.Windows.Where(w => w.Severity == AlertSeverity.Page).Select(w => w.LongWindow).DefaultIfEmpty(TimeSpan.FromHours(1)).Min();
            string lw = PromDuration.Format(longest);

            // Without the guard this would page: the error ratio really is 100%.
            exprTests.Add(ExprTest($"{RuleNames.ErrorRatio(lw)}{set.Selector}", 10,
                Sample(RuleNames.ErrorRatio(lw), set.Labels.Append(new(RuleNames.WindowLabel, lw)), "1")));
        }

        return Map(
            ("name", Text($"{id}: an idle service with one failure does not page")),
            ("interval", Plain("1m")),
            // The failure comes at minute 8, so at minute 10 even the shortest window still holds it.
            ("input_series", List([Series("good", $"0x{Minutes}"), Series("bad", $"0x7 1x{Minutes - 8}")])),
            ("alert_rule_test", List(
            [
                AlertTest(sets, AlertSeverity.Page, 10, s => !s.HasTraffic && Fires(s, AlertSeverity.Page, 1.0)),
                AlertTest(sets, AlertSeverity.Ticket, 10, s => !s.HasTraffic && Fires(s, AlertSeverity.Ticket, 1.0)),
            ])),
            ("promql_expr_test", List(exprTests)));
    }

    private static YamlMappingNode Meta(string id, IReadOnlyList<SloRuleSet> sets)
    {
        var exprTests = new List<YamlNode>();
        foreach (var set in sets)
        {
            string target = set.Objective.Target.ToString(CultureInfo.InvariantCulture);
            string budget = set.Objective.ErrorBudget.ToString(CultureInfo.InvariantCulture);
            var periodLabels = set.Labels.Append(new(RuleNames.WindowLabel, PromDuration.Format(set.Period)));
            exprTests.Add(ExprTest($"{RuleNames.Objective}{set.Selector}", 5, Sample(RuleNames.Objective, set.Labels, target)));
            exprTests.Add(ExprTest($"{RuleNames.ErrorBudget}{set.Selector}", 5, Sample(RuleNames.ErrorBudget, set.Labels, budget)));
            exprTests.Add(ExprTest($"{RuleNames.PeriodErrorBudgetRemaining}{set.Selector}", 10, Sample(RuleNames.PeriodErrorBudgetRemaining, periodLabels, "1")));
        }

        return Map(
            ("name", Text($"{id}: objective, error budget and budget remaining are recorded")),
            ("interval", Plain("1m")),
            ("input_series", List([Series("good", $"0+{RequestsPerMinute}x10"), Series("bad", "0x10")])),
            ("promql_expr_test", List(exprTests)));
    }

    /// <summary>Whether a steady error ratio sets off a severity: some window's factor × budget lies below it.</summary>
    private static bool Fires(SloRuleSet set, AlertSeverity severity, double errorRatio) =>
        set.Windows.Any(w => w.Severity == severity && (double)(w.FactorFor(set.Period) * set.Objective.ErrorBudget) < errorRatio);

    /// <summary>One promtool alert test: at that minute, the alert of that severity fires for exactly the sets <paramref name="fires"/> picks.</summary>
    internal static YamlMappingNode AlertTest(IReadOnlyList<SloRuleSet> sets, AlertSeverity severity, int minute, Func<SloRuleSet, bool> fires)
    {
        var expected = new List<YamlNode>();
        foreach (var set in sets.Where(fires))
        {
            expected.Add(Map(
                ("exp_labels", Labels(set.Labels.Concat(RuleFileWriter.AlertLabels(severity)))),
                ("exp_annotations", Labels(RuleFileWriter.Annotations(set, severity)))));
        }

        return Map(
            ("eval_time", Plain($"{minute}m")),
            ("alertname", Text(RuleFileWriter.AlertName(severity))),
            ("exp_alerts", List(expected)));
    }

    private static YamlMappingNode ExprTest(string expr, int minute, YamlNode sample) =>
        Map(("expr", Text(expr)), ("eval_time", Plain($"{minute}m")), ("exp_samples", List([sample])));

    private static YamlMappingNode Sample(string metric, IEnumerable<KeyValuePair<string, string>> labels, string value) =>
        Map(
            ("labels", Text($"{metric}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{SloRuleSet.Escape(l.Value)}\""))}}}")),
            ("value", Plain(value)));

    private static YamlMappingNode Series(string outcome, string values) =>
        Map(("series", Text($"{TestMetric}{{outcome=\"{outcome}\"}}")), ("values", Text(values)));
}
