using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Store;
using NeoCloud.Reliability.Tests.Evaluation;
using NeoCloud.Server.Reliability.Slos;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability.Slos;

public sealed class PrometheusSloTests
{
    private const string Slo = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: gateway-availability
        spec:
          service: inference-gateway
          indicator:
            spec:
              ratioMetric:
                counter: true
                bad: sum(rate(gateway_errors_total[{{.window}}]))
                total: sum(rate(gateway_requests_total[{{.window}}]))
          timeWindow:
            - duration: 30d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.999
        """;

    [Fact]
    public async Task An_slo_over_a_prometheus_query_is_read_from_the_endpoint_every_evaluation_and_burns_its_budget()
    {
        using var prometheus = new FakePrometheus();
        prometheus.Values["sum(rate(gateway_requests_total[1m]))"] = "10";
        prometheus.Values["sum(rate(gateway_errors_total[1m]))"] = "0.5";
        await using var host = await NeoCloudTestHost.StartAsync(
            settings: new Dictionary<string, string>
            {
                ["NeoCloud:Slos:EvaluationInterval"] = "01:00:00",
                ["NeoCloud:Reliability:StepInterval"] = "01:00:00",
                ["NeoCloud:Slos:PrometheusUrl"] = prometheus.BaseUrl.ToString(),
            },
            moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
        using (var put = await host.Client.PutAsync(new Uri("/api/v1/slos", UriKind.Relative), new StringContent(Slo, Encoding.UTF8, "application/yaml")))
        {
            put.EnsureSuccessStatusCode();
        }

        var runtime = host.Services.GetRequiredService<SloRuntime>();
        await runtime.EvaluateAsync(CancellationToken.None);
        var status = Assert.Single(runtime.StatusesOf("gateway-availability"));

        // 10 requests/s and 0.5 errors/s over the 1-minute bucket: 600 events, 30 bad, 5% errors against a 0.1% budget.
        Assert.Equal(600, status.EventsInPeriod);
        Assert.Equal(0.05, status.ErrorRatio, 6);
        Assert.Contains(prometheus.Requests, r => r.Query == "sum(rate(gateway_errors_total[1m]))");
        Assert.DoesNotContain(prometheus.Requests, r => r.Query.Contains("neocloud_sli_events_total", StringComparison.Ordinal)); // built-ins are counted in-process
    }
}
