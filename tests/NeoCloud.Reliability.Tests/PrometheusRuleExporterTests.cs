using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Reliability.Tests;

public sealed class PrometheusRuleExporterTests
{
    private static YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static List<YamlMappingNode> Rules(ExportedFile file) =>
        [.. ((YamlSequenceNode)Load(file.Content)["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>())];

    private static string Text(YamlMappingNode map, string key) => ((YamlScalarNode)map[key]).Value!;

    private static ExportedFile RulesOf(string yaml) =>
        PrometheusRuleExporter.Export(SloManifestReader.Parse(yaml)).First(f => f.RelativePath.EndsWith(".rules.yml", StringComparison.Ordinal) && !f.RelativePath.Contains('/', StringComparison.Ordinal));

    [Fact]
    public void An_slo_gets_a_rule_file_a_twin_and_a_promtool_test()
    {
        var files = PrometheusRuleExporter.Export(SloManifestReader.Parse(SampleSlos.ApiAvailability));

        Assert.Equal(
            ["neocloud-api-availability.rules.yml", "tests/neocloud-api-availability.twin.rules.yml", "tests/neocloud-api-availability.test.yml"],
            files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Every_window_an_alert_uses_has_its_error_ratio_rule_and_the_period_is_derived()
    {
        var records = Rules(RulesOf(SampleSlos.ApiAvailability)).Where(r => r.Children.ContainsKey("record")).Select(r => Text(r, "record")).ToList();

        foreach (string w in new[] { "5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d" })
        {
            Assert.Contains("slo:sli_error:ratio_rate" + w, records);
        }

        Assert.Contains(RuleNames.Objective, records);
        Assert.Contains(RuleNames.ErrorBudget, records);
        Assert.Contains(RuleNames.CurrentBurnRate, records);
        Assert.Contains(RuleNames.PeriodErrorBudgetRemaining, records);
    }

    [Fact]
    public void Recording_rules_carry_the_slo_labels_and_the_window()
    {
        var rule = Rules(RulesOf(SampleSlos.ApiAvailability)).First(r => r.Children.ContainsKey("record") && Text(r, "record") == "slo:sli_error:ratio_rate1h");
        var labels = (YamlMappingNode)rule["labels"];

        Assert.Equal("neocloud-api-availability", Text(labels, RuleNames.IdLabel));
        Assert.Equal("neocloud-api", Text(labels, RuleNames.ServiceLabel));
        Assert.Equal("availability", Text(labels, RuleNames.SloLabel));
        Assert.Equal("platform", Text(labels, RuleNames.TenantLabel));
        Assert.Equal("control-plane", Text(labels, RuleNames.LineOfBusinessLabel));
        Assert.Equal("1h", Text(labels, RuleNames.WindowLabel));
        Assert.Equal("""(sum(rate(neocloud_sli_events_total{sli="api-availability",result="bad",neocloud_tenant="platform"}[1h]))) / (sum(rate(neocloud_sli_events_total{sli="api-availability",neocloud_tenant="platform"}[1h])))""", Text(rule, "expr"));
    }

    [Fact]
    public void The_page_alert_needs_both_windows_of_a_pair_to_burn_and_enough_traffic()
    {
        var page = Rules(RulesOf(SampleSlos.ApiAvailability)).Single(r => r.Children.ContainsKey("alert") && Text(r, "alert") == RuleNames.PageAlert);
        string expr = Text(page, "expr");

        Assert.Equal("page", Text((YamlMappingNode)page["labels"], "severity"));
        Assert.Contains("""max(slo:sli_error:ratio_rate5m{neocloud_id="neocloud-api-availability"} > (14.4 * 0.001)) without (neocloud_window) and max(slo:sli_error:ratio_rate1h{neocloud_id="neocloud-api-availability"} > (14.4 * 0.001))""", expr, StringComparison.Ordinal);
        Assert.Contains("slo:sli_total:rate1h{neocloud_id=\"neocloud-api-availability\"} * 3600 >= 10", expr, StringComparison.Ordinal);
        Assert.Contains("> (6 * 0.001)", expr, StringComparison.Ordinal);
        Assert.DoesNotContain("(3 * 0.001)", expr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_slo_with_its_own_windows_and_period_alerts_on_those()
    {
        var rules = Rules(RulesOf(SampleSlos.JobStarts));
        var ticket = rules.First(r => r.Children.ContainsKey("alert") && Text(r, "alert") == RuleNames.TicketAlert);

        Assert.Contains("slo:sli_error:ratio_rate4d", Text(ticket, "expr"), StringComparison.Ordinal);
        Assert.Contains("* 345600 >= 50", Text(ticket, "expr"), StringComparison.Ordinal);
        Assert.Contains(rules, r => r.Children.ContainsKey("record") && Text(r, "record") == "slo:sli_error:ratio_rate28d");

        // Two objectives: two label sets, told apart by neocloud_objective.
        Assert.Equal(2, rules.Count(r => r.Children.ContainsKey("alert") && Text(r, "alert") == RuleNames.PageAlert));
    }

    [Fact]
    public void A_threshold_slo_counts_bad_time_slices()
    {
        var rule = Rules(RulesOf(SampleSlos.InferenceLatency)).First(r => r.Children.ContainsKey("record") && Text(r, "record") == "slo:sli_error:ratio_rate1h");

        Assert.Equal(
            "1 - avg_over_time((((histogram_quantile(0.99, sum by (le) (rate(gateway_request_seconds_bucket[1m]))))) <= bool 2)[1h:1m])",
            Text(rule, "expr"));
        Assert.DoesNotContain("slo:sli_total", RulesOf(SampleSlos.InferenceLatency).Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Tests_are_left_out_when_asked()
    {
        var files = PrometheusRuleExporter.Export(SloManifestReader.Parse(SampleSlos.All), new SloExportOptions { IncludeTests = false });

        Assert.All(files, f => Assert.DoesNotContain(PrometheusRuleExporter.TestFolder, f.RelativePath, StringComparison.Ordinal));
        Assert.Equal(3, files.Count);
    }
}
