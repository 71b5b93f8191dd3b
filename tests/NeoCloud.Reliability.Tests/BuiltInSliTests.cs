using NeoCloud.Reliability.Export;
using NeoCloud.Reliability.Slos;

namespace NeoCloud.Reliability.Tests;

public sealed class BuiltInSliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-builtin-sli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Slo(string name, string builtIn, string? tenant = "acme") => $"""
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: {name}
        spec:
          service: neocloud
        {(tenant is null ? "" : $"  tenant: {tenant}\n")}  indicator:
            spec:
              builtIn: {builtIn}
          timeWindow:
            - duration: 30d
          objectives:
            - target: 0.99
        """;

    private static string EveryBuiltIn => string.Join("\n---\n",
        Slo("api-availability", "api-availability", tenant: null),
        Slo("api-latency", "{ name: api-latency, threshold: 500ms }", tenant: null),
        Slo("job-start-latency", "{ name: job-start-latency, threshold: 2m }"),
        Slo("job-success", "job-success"),
        Slo("gpu-node-availability", "gpu-node-availability"),
        Slo("training-goodput", "training-goodput"));

    [Fact]
    public void Every_built_in_sli_has_a_name_and_says_what_good_and_total_count()
    {
        Assert.Equal(["api-availability", "api-latency", "gpu-node-availability", "job-start-latency", "job-success", "training-goodput"], BuiltInSlis.Names);
        Assert.All(BuiltInSlis.All, s => Assert.Contains("good: ", s.Description, StringComparison.Ordinal));
        Assert.Equal(["api-latency", "job-start-latency"], BuiltInSlis.All.Where(s => s.TakesThreshold).Select(s => s.Name));
    }

    [Fact]
    public void A_built_in_sli_reads_the_one_counter_narrowed_to_its_tenant_and_threshold()
    {
        var slos = SloManifestReader.Parse(EveryBuiltIn).ToDictionary(s => s.Name);

        Assert.Equal("""sum(rate(neocloud_sli_events_total{sli="job-success",result="bad",neocloud_tenant="acme"}[{{.window}}]))""", slos["job-success"].Indicator.Bad);
        Assert.Equal("""sum(rate(neocloud_sli_events_total{sli="job-success",neocloud_tenant="acme"}[{{.window}}]))""", slos["job-success"].Indicator.Total);
        Assert.Equal("""sum(rate(neocloud_sli_events_total{sli="api-latency",result="bad",threshold="500ms"}[{{.window}}]))""", slos["api-latency"].Indicator.Bad);
        Assert.Equal(TimeSpan.FromMilliseconds(500), slos["api-latency"].Indicator.LatencyThreshold);
        Assert.Contains("""threshold="2m",neocloud_tenant="acme"}""", slos["job-start-latency"].Indicator.Total, StringComparison.Ordinal);
        Assert.All(slos.Values, s => Assert.Equal(s.Name, s.Indicator.BuiltIn));
    }

    [Theory]
    [InlineData("api-latency", "needs a latency threshold")]
    [InlineData("{ name: job-success, threshold: 1s }", "takes no threshold")]
    [InlineData("{ name: api-latency, threshold: fast }", "is not a positive duration")]
    [InlineData("{ name: api-latency, threshold: 1s, percentile: 99 }", "is not a known field")]
    [InlineData("{ name: gpu-magic }", "is not a NeoCloud indicator")]
    public void A_bad_built_in_is_refused_with_where_and_why(string builtIn, string reason)
    {
        var errors = new List<Kernel.Manifests.SpecError>();

        Assert.Null(SloManifestReader.TryParse(Slo("x", builtIn), errors));
        var error = Assert.Single(errors);
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("spec.indicator.spec.builtIn", error.Path, StringComparison.Ordinal);
        Assert.Equal(10, error.Line); // the builtIn line of the SLO
    }

    [Fact]
    public void Promtool_accepts_the_rules_of_every_built_in_sli_and_their_generated_tests_pass()
    {
        var written = PrometheusRuleExporter.WriteTo(_dir, PrometheusRuleExporter.Export(SloManifestReader.Parse(EveryBuiltIn)));

        var rules = written.Where(f => f.EndsWith(".rules.yml", StringComparison.Ordinal)).ToArray();
        Assert.Equal(12, rules.Length); // six SLOs and their twins
        var (code, output) = Promtool.Run(_dir, ["check", "rules", .. rules]);
        Assert.True(code == 0, output);

        var tests = written.Where(f => f.EndsWith(".test.yml", StringComparison.Ordinal)).ToArray();
        (code, output) = Promtool.Run(Path.Combine(_dir, PrometheusRuleExporter.TestFolder), ["test", "rules", .. tests]);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void The_exported_rules_of_a_built_in_sli_page_on_its_tenants_counter_and_ignore_other_tenants()
    {
        PrometheusRuleExporter.WriteTo(_dir, PrometheusRuleExporter.Export(SloManifestReader.Parse(Slo("job-success", "job-success")), new SloExportOptions { IncludeTests = false }));

        // acme's jobs all succeed for an hour, then every one fails; another tenant and another SLI fail throughout.
        File.WriteAllText(Path.Combine(_dir, "counter.test.yml"), """
            rule_files: [neocloud-job-success.rules.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'neocloud_sli_events_total{sli="job-success",neocloud_tenant="acme",result="good"}'
                    values: '0+100x60 6000x60'
                  - series: 'neocloud_sli_events_total{sli="job-success",neocloud_tenant="acme",result="bad"}'
                    values: '0x60 100+100x59'
                  - series: 'neocloud_sli_events_total{sli="job-success",neocloud_tenant="other",result="bad"}'
                    values: '0+1000x120'
                  - series: 'neocloud_sli_events_total{sli="api-availability",neocloud_tenant="acme",result="bad"}'
                    values: '0+1000x120'
                promql_expr_test:
                  - expr: sum(slo:sli_error:ratio_rate5m)
                    eval_time: 50m
                    exp_samples: [{ labels: '{}', value: 0 }]
                  - expr: sum(slo:sli_error:ratio_rate5m)
                    eval_time: 70m
                    exp_samples: [{ labels: '{}', value: 1 }]
                  - expr: count(ALERTS{alertname="NeoCloudSloBudgetBurnPage",alertstate="firing"})
                    eval_time: 50m
                    exp_samples: []
                  - expr: count(ALERTS{alertname="NeoCloudSloBudgetBurnPage",alertstate="firing"})
                    eval_time: 70m
                    exp_samples: [{ labels: '{}', value: 1 }]
            """);

        var (code, output) = Promtool.Run(_dir, ["test", "rules", "counter.test.yml"]);
        Assert.True(code == 0, output);
    }
}
