using System.Text.Json;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class GetCommandTests
{
    [Fact]
    public async Task Get_nodes_as_json_prints_every_node()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(TestFleet.NodeCount, json.RootElement.GetArrayLength());
        Assert.Equal("available", json.RootElement[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Get_nodes_follows_cursors_past_one_page()
    {
        await using var host = await NeoCloudTestHost.StartAsync(importFleet: false);

        var run = await Neoctl.RunAsync(host, "get", "nodes", "--output", "json");

        using var json = JsonDocument.Parse(run.Out);
        var ids = json.RootElement.EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Equal(936, ids.Count);
        Assert.Equal(936, ids.Distinct().Count());
    }

    [Fact]
    public async Task Get_nodes_stops_at_the_limit()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "--limit", "5", "-o", "json");

        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(5, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Get_nodes_as_yaml_prints_a_yaml_list()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "--site", "euw1-dc2", "-o", "yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("- id: euw1-dc2-r01-n01", run.Out, StringComparison.Ordinal);
        Assert.Equal(8, run.Out.Split('\n').Count(l => l.StartsWith("- id: ", StringComparison.Ordinal)));
        Assert.Contains("  state: available", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_nodes_as_a_table_has_a_header_and_one_row_per_node()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "--sku", "l40s-48gb");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains("STATE", lines[0], StringComparison.Ordinal);
        Assert.Equal(9, lines.Count);
        Assert.Contains("euw1-dc2-r02-n04", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_with_a_filter_that_matches_nothing_says_so()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "--state", "cordoned");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No resources found.", run.Out.Trim());
    }

    [Fact]
    public async Task Get_gpus_regions_sites_and_racks_list_their_kind()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var gpus = await Neoctl.RunAsync(host, "get", "gpus", "--node", "euw1-dc1-r01-n01", "-o", "json");
        var regions = await Neoctl.RunAsync(host, "get", "regions");
        var sites = await Neoctl.RunAsync(host, "get", "sites", "--region", "euw1", "-o", "json");
        var racks = await Neoctl.RunAsync(host, "get", "rack", "--site", "euw1-dc1", "-o", "json");

        using (var json = JsonDocument.Parse(gpus.Out))
        {
            Assert.Equal(8, json.RootElement.GetArrayLength());
        }

        Assert.Contains("Europe West 1", regions.Out, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(sites.Out))
        {
            Assert.Equal(2, json.RootElement.GetArrayLength());
        }

        using (var json = JsonDocument.Parse(racks.Out))
        {
            Assert.Equal(3, json.RootElement.GetArrayLength());
        }
    }

    [Fact]
    public async Task An_unknown_filter_value_exits_1_with_the_servers_explanation()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "--state", "bogus");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Empty(run.Out);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("bogus", line, StringComparison.Ordinal);
        Assert.Contains("invalid-request", line, StringComparison.Ordinal);
    }
}
