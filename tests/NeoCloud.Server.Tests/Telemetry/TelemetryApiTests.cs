using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Telemetry.Collection;
using NeoCloud.Telemetry.Exposition;

namespace NeoCloud.Server.Tests.Telemetry;

public sealed class TelemetryApiTests : IAsyncLifetime
{
    private NeoCloudTestHost _host = null!;

    public async Task InitializeAsync() => _host = await NeoCloudTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_twin_runs_as_a_telemetry_source_and_an_actuator_plugin()
    {
        var plugins = await _host.Client.GetFromJsonAsync<JsonElement>("/api/v1/plugins");

        var byName = plugins.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("telemetry-source", byName["twin-telemetry"].GetProperty("kind").GetString());
        Assert.Equal("ready", byName["twin-telemetry"].GetProperty("state").GetString());
        Assert.Equal("actuator", byName["twin-actuator"].GetProperty("kind").GetString());
        Assert.Equal("ready", byName["twin-actuator"].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_nodes_raw_dcgm_page_is_real_exposition_text_of_its_gpus()
    {
        string node = TestFleet.Generate().Nodes[0].Id.Value;

        var response = await _host.Client.GetAsync($"/api/v1/nodes/{node}/telemetry/dcgm-exporter");
        response.EnsureSuccessStatusCode();
        byte[] page = await response.Content.ReadAsByteArrayAsync();
        var batch = new SampleBatch();
        PrometheusTextParser.Parse(page, batch);

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var hostnames = new HashSet<string>();
        var gpus = new HashSet<string>();
        foreach (var sample in batch)
        {
            if (sample.TryGetLabel("Hostname", out var h) && sample.TryGetLabel("gpu", out var g))
            {
                hostnames.Add(h!);
                gpus.Add(g!);
            }
        }

        Assert.Equal([node], hostnames);
        Assert.Equal(TestFleet.Generate().Nodes[0].GpuCount, gpus.Count);
    }

    [Fact]
    public async Task A_collection_round_parses_every_nodes_page_and_the_api_serves_the_rollup()
    {
        var collector = _host.Services.GetRequiredService<TelemetryCollector>();
        var fleet = TestFleet.Generate();

        var round = await collector.CollectOnceAsync(CancellationToken.None);
        var latest = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/nodes/{fleet.Nodes[1].Id}/telemetry");

        // Every node of the quiet twin answers: all are targets and every page parses.
        Assert.Equal(fleet.Nodes.Count, round.Targets);
        Assert.Equal(round.Targets, round.Scraped);
        Assert.Equal(0, round.Failed);
        Assert.True(round.Samples > fleet.GpuCount * 10, $"only {round.Samples} samples");
        Assert.Equal(fleet.Nodes[1].GpuCount, latest.GetProperty("gpus").GetArrayLength());
        Assert.All(latest.GetProperty("gpus").EnumerateArray(), g => Assert.InRange(g.GetProperty("temperatureC").GetDouble(), 15, 110));
    }

    [Fact]
    public async Task Telemetry_of_an_unknown_node_is_a_not_found_problem()
    {
        var response = await _host.Client.GetAsync("/api/v1/nodes/nope/telemetry/dcgm-exporter");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Plugin_and_telemetry_instruments_are_published_on_metrics()
    {
        await _host.Services.GetRequiredService<TelemetryCollector>().CollectOnceAsync(CancellationToken.None);

        string metrics = await _host.Client.GetStringAsync("/metrics");

        // Exactly these names: the meter name and the instrument name make the Prometheus name once, not twice.
        Assert.Matches(new System.Text.RegularExpressions.Regex("^neocloud_telemetry_samples_total [1-9]", System.Text.RegularExpressions.RegexOptions.Multiline), metrics);
        Assert.Matches(new System.Text.RegularExpressions.Regex("^neocloud_plugins_calls_total\\{[^}]*plugin=\"twin-telemetry\"", System.Text.RegularExpressions.RegexOptions.Multiline), metrics);
        Assert.Matches(new System.Text.RegularExpressions.Regex("^neocloud_telemetry_collection_round_seconds_count ", System.Text.RegularExpressions.RegexOptions.Multiline), metrics);
    }
}
