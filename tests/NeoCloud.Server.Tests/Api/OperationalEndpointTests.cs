using System.Net;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Api;

public sealed class OperationalEndpointTests
{
    [Fact]
    public async Task Healthz_and_readyz_answer_200_when_the_store_holds_a_fleet()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        using var live = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await host.Client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_node_paths()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var document = await host.Client.GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/nodes", paths);
        Assert.Contains("/api/v1/nodes/{id}", paths);
        Assert.Contains("/api/v1/nodes/{id}/cordon", paths);
        Assert.Contains("/api/v1/audit", paths);
    }

    [Fact]
    public async Task Metrics_expose_the_node_gauge_by_state_and_the_transition_counter()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await host.Client.PostJsonAsync("/api/v1/nodes/euw1-dc1-r01-n01/cordon", new { reason = "metrics" });

        string text = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("neocloud_fleet_nodes{state=\"available\"} 19", text, StringComparison.Ordinal);
        Assert.Contains("neocloud_fleet_nodes{state=\"cordoned\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("neocloud_fleet_lifecycle_transitions_total{to=\"cordoned\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_is_served_at_the_root()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NeoCloud", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_store_gets_the_built_in_default_fleet_on_start()
    {
        await using var host = await NeoCloudTestHost.StartAsync(importFleet: false);

        var summary = await host.Client.GetJsonAsync("/api/v1/summary");

        Assert.Equal(936, summary["nodes"]!.GetValue<int>());
    }
}
