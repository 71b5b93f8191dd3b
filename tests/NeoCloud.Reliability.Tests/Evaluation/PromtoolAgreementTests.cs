using NeoCloud.Reliability.Budgets;
using NeoCloud.Reliability.Evaluation;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;
using YamlDotNet.RepresentationModel;
using static NeoCloud.Reliability.Export.YamlText;

namespace NeoCloud.Reliability.Tests.Evaluation;

/// <summary>
/// Our evaluator and the exported rules must agree: the same traffic is fed to <see cref="SloEvaluator"/> and, as the
/// synthetic counter, to the twin rule file under the real promtool, whose test expects exactly the alerts our evaluator
/// reports at each minute and the same error ratio and guard count in every window. The numbers rely on the closed range
/// selectors of Prometheus 2 (what scripts/promtool.sh installs): Prometheus 3's ranges are left-open and see one sample
/// less, so eval minutes sit away from the edges of the windows, where that would also change an alert.
/// </summary>
public sealed class PromtoolAgreementTests : IDisposable
{
    private static readonly DateTimeOffset PromtoolEpoch = DateTimeOffset.UnixEpoch;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-slo-agreement-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TrafficScenario[] All =
    [
        // 2000 requests a minute: 10 bad is 0.5%, 5x the budget: above both tickets' factors (3x, 1x), below both pages'.
        TrafficScenario.Steady("a steady error ratio of five times the budget tickets but does not page", 10, 10, 90, 240) with { Alerts = true },
        TrafficScenario.Steady("a steady error ratio of half the budget is silent", 1, 10, 90, 240),
        TrafficScenario.Outage("a total outage is silent before and pages after", 31, int.MaxValue, 29, 40, 120, 240) with { Alerts = true },
        TrafficScenario.Outage("an outage that ended stops paging after the short windows but still tickets", 31, 61, 29, 45, 100, 200) with { Alerts = true },
        TrafficScenario.IdleWithOneFailure("an idle service with one failure is held back by the traffic guard", 8, 10, 60),
    ];

    public static TheoryData<string> Scenarios() => [.. All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Promtool_fires_exactly_the_alerts_our_evaluator_reports(string name)
    {
        var scenario = All.Single(s => s.Name == name);
        var slo = SloManifestReader.Parse(SampleSlos.ApiAvailability)[0];
        var options = new SloExportOptions();
        var written = PrometheusRuleExporter.WriteTo(_dir, PrometheusRuleExporter.Export([slo], options));
        string twin = written.Single(f => f.EndsWith(".twin.rules.yml", StringComparison.Ordinal));

        var evaluator = new SloEvaluator(slo, slo.Objectives[0], options.Windows, options.MinimumEvents);
        var series = evaluator.CreateSeries(Minute);
        for (int m = 1; m <= scenario.PerMinute.Count; m++)
        {
            var (good, bad) = scenario.PerMinute[m - 1];
            series.Record(PromtoolEpoch + (m * Minute), good, good + bad);
        }

        var set = new SloRuleSet(PromtoolTestWriter.Twin(slo), slo.Objectives[0], options);
        var alertTests = new List<YamlNode>();
        var exprTests = new List<YamlNode>();
        var expectedFiring = 0;
        foreach (int minute in scenario.EvalMinutes)
        {
            var evaluation = evaluator.Evaluate(series, PromtoolEpoch + (minute * Minute));
            foreach (var severity in new[] { AlertSeverity.Page, AlertSeverity.Ticket })
            {
                bool fires = evaluation.Fires(severity);
                expectedFiring += fires ? 1 : 0;
                alertTests.Add(PromtoolTestWriter.AlertTest([set], severity, minute, _ => fires));
            }

            exprTests.AddRange(SameNumbers(set, evaluation, minute));
        }

        string testFile = Path.Combine(Path.GetDirectoryName(twin)!, "agreement.test.yml");
        File.WriteAllText(testFile, Write(Map(
            ("rule_files", List([Text(Path.GetFileName(twin))])),
            ("evaluation_interval", Plain("1m")),
            ("tests", List(
            [
                Map(
                    ("name", Text(scenario.Name)),
                    ("interval", Plain("1m")),
                    ("input_series", List(
                    [
                        Series("good", scenario.CounterValues(m => m.Good)),
                        Series("bad", scenario.CounterValues(m => m.Bad)),
                    ])),
                    ("alert_rule_test", List(alertTests)),
                    ("promql_expr_test", List(exprTests))),
            ])))));

        var (code, output) = Promtool.Run(Path.GetDirectoryName(twin)!, "test", "rules", testFile);

        Assert.True(code == 0, $"{scenario.Name}:\n{output}\n{File.ReadAllText(testFile)}");
        Assert.Equal(scenario.Alerts, expectedFiring > 0);
    }

    /// <summary>
    /// The recorded error ratio of every window with events, and the guard's event count of every long window, equal ours
    /// (to rounding: Prometheus divides two rates, we divide two counts).
    /// </summary>
    private static IEnumerable<YamlNode> SameNumbers(SloRuleSet set, SloEvaluation evaluation, int minute)
    {
        var longWindows = set.Windows.Select(w => w.LongWindow).ToHashSet();
        foreach (var window in set.SliWindows)
        {
            var reading = evaluation.Reading(window);
            string w = PromDuration.Format(window);
            var labels = set.Labels.Append(new(RuleNames.WindowLabel, w)).ToList();
            if (reading.Total > 0)
            {
                yield return Near($"{RuleNames.ErrorRatio(w)}{set.Selector}", reading.ErrorRatio, minute, labels);
            }

            if (longWindows.Contains(window))
            {
                yield return Near($"{RuleNames.TotalRate(w)}{set.Selector} * {(long)window.TotalSeconds}", reading.Total, minute, labels);
            }
        }
    }

    private static YamlMappingNode Near(string expr, double expected, int minute, IEnumerable<KeyValuePair<string, string>> labels) =>
        Map(
            ("expr", Text($"abs(({expr}) - {SloRuleSet.Number(expected)}) < bool 1e-9 * (1 + {SloRuleSet.Number(Math.Abs(expected))})")),
            ("eval_time", Plain($"{minute}m")),
            ("exp_samples", List(
            [
                Map(
                    ("labels", Text($"{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{SloRuleSet.Escape(l.Value)}\""))}}}")),
                    ("value", Plain("1"))),
            ])));

    private static YamlMappingNode Series(string outcome, string values) =>
        Map(("series", Text($"{PromtoolTestWriter.TestMetric}{{outcome=\"{outcome}\"}}")), ("values", Text(values)));
}
