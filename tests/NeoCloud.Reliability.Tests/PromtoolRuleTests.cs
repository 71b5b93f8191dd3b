using System.Text.RegularExpressions;
using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests;

public sealed class PromtoolRuleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-slo-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<string> Write(string yaml) =>
        PrometheusRuleExporter.WriteTo(_dir, PrometheusRuleExporter.Export(SloManifestReader.Parse(yaml)));

    [Fact]
    public void Promtool_accepts_every_generated_rule_file()
    {
        var written = Write(SampleSlos.All);
        var ruleFiles = written.Where(f => f.EndsWith(".rules.yml", StringComparison.Ordinal)).ToArray();

        Assert.Equal(5, ruleFiles.Length); // three SLOs and two twins
        var (code, output) = Promtool.Run(_dir, ["check", "rules", .. ruleFiles]);
        Assert.True(code == 0, output);
    }

    [Theory]
    [InlineData("RatioTimeslices", "")]
    [InlineData("Timeslices", "\n      timeSliceTarget: 0.95\n      timeSliceWindow: 5m")]
    public void Promtool_accepts_the_rules_of_time_slice_budgeting(string method, string objectiveFields)
    {
        string yaml = SampleSlos.ApiAvailability
            .Replace("budgetingMethod: Occurrences", "budgetingMethod: " + method, StringComparison.Ordinal)
            .Replace("- target: 0.999", "- target: 0.999" + objectiveFields, StringComparison.Ordinal);
        var written = Write(yaml);

        var (code, output) = Promtool.Run(_dir, ["check", "rules", .. written]);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Promtool_unit_tests_show_the_alerts_fire_and_stay_silent_where_they_should()
    {
        var written = Write(SampleSlos.All);
        var tests = written.Where(f => f.EndsWith(".test.yml", StringComparison.Ordinal)).ToArray();

        Assert.Equal(2, tests.Length); // the threshold SLO counts time slices: no event-count tests for it
        var (code, output) = Promtool.Run(Path.Combine(_dir, PrometheusRuleExporter.TestFolder), ["test", "rules", .. tests]);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Without_a_traffic_guard_the_tests_leave_out_the_idle_service_and_still_pass()
    {
        // The same SLO with the guard off: the generated test expects silence only where the guard exists, so the guard
        // scenario disappears and the 100% ratio of one failed request is what the unit test then records.
        var slos = SloManifestReader.Parse(SampleSlos.ApiAvailability);
        var files = PrometheusRuleExporter.Export(slos, new SloExportOptions { MinimumEvents = 0 });
        var test = files.Single(f => f.RelativePath.EndsWith(".test.yml", StringComparison.Ordinal));

        Assert.DoesNotContain("an idle service with one failure", test.Content, StringComparison.Ordinal);
        var written = PrometheusRuleExporter.WriteTo(_dir, files);
        var (code, output) = Promtool.Run(Path.Combine(_dir, PrometheusRuleExporter.TestFolder), ["test", "rules", written.Single(f => f.EndsWith(".test.yml", StringComparison.Ordinal))]);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void The_generated_tests_fail_when_the_rules_lose_their_traffic_guard()
    {
        var written = Write(SampleSlos.ApiAvailability);
        string twin = written.Single(f => f.EndsWith(".twin.rules.yml", StringComparison.Ordinal));
        File.WriteAllText(twin, Regex.Replace(File.ReadAllText(twin), @" \* (\d+) >= 10\b", " * $1 >= 0"));

        var (code, output) = Promtool.Run(Path.GetDirectoryName(twin)!, ["test", "rules", written.Single(f => f.EndsWith(".test.yml", StringComparison.Ordinal))]);

        Assert.NotEqual(0, code);
        Assert.Contains("an idle service with one failure does not page", output, StringComparison.Ordinal);
    }
}
