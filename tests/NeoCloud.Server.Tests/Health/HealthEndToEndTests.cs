using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Server.Tests.Health;

/// <summary>
/// The whole flow in the host: a fault injected into the host's twin is scraped by the collector, detected, diagnosed
/// and remediated, and the API shows the finding and the run. Needs the detection, diagnosis and remediation bodies
/// (other slices): it passes once they are merged.
/// </summary>
public sealed class HealthEndToEndTests
{
    private const string Gpu = "euw1-dc1-r01-n01/gpu3";
    private const string Node = "euw1-dc1-r01-n01";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_xid_79_injected_into_the_twin_becomes_a_finding_and_a_remediation_run_on_the_api()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["NeoCloud:Telemetry:ScrapeIntervalSeconds"] = "1",
            ["NeoCloud:Simulator:Speed"] = "10",
        });
        var twin = host.Services.GetRequiredService<FleetTwin>();

        twin.Inject(new FaultRequest(FaultKind.Xid, Gpu, Xid: 79));

        var finding = await EventuallyAsync(host, $"/api/v1/health/findings?node={Node}&code=XID-79");
        Assert.Equal($"gpu", finding["component"]!["kind"]!.GetValue<string>());
        Assert.Equal(Gpu, finding["component"]!["id"]!.GetValue<string>());
        Assert.True(finding["fatal"]!.GetValue<bool>());
        Assert.NotEmpty(finding["evidence"]!.AsArray());

        var run = await EventuallyAsync(host, $"/api/v1/health/remediations?node={Node}");
        Assert.Contains(Node, run["nodes"]!.AsArray().Select(n => n!.GetValue<string>()).Concat(run["gpus"]!.AsArray().Select(g => g!.GetValue<string>()[..Node.Length])));
        var one = await host.Client.GetJsonAsync($"/api/v1/health/remediations/{run["id"]!.GetValue<string>()}");
        Assert.NotEmpty(one["history"]!.AsArray());

        var summary = await host.Client.GetJsonAsync("/api/v1/health/summary");
        Assert.True(summary["running"]!.GetValue<bool>());
        Assert.True(summary["findingsByCode"]!["XID-79"]!.GetValue<int>() >= 1);
    }

    private static async Task<JsonNode> EventuallyAsync(NeoCloudTestHost host, string url)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var page = await host.Client.GetJsonAsync(url);
            if (page["items"]!.AsArray() is { Count: > 0 } items)
            {
                return items[0]!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Nothing at {url} after {Patience.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
