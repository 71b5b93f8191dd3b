using System.Text.Json;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class NodeCommandTests
{
    private const string NodeId = "euw1-dc1-r03-n02";

    [Fact]
    public async Task Cordon_cordons_the_node_and_says_so()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "cordon", NodeId, "--reason", "ecc errors", "--actor", "person:carol");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"node/{NodeId} cordoned (state: cordoned)", run.Out.Trim());
        var record = Assert.Single(host.Audit.Records);
        Assert.Equal("person:carol", record.Actor.ToString());
        Assert.Equal("ecc errors", record.Reason);
    }

    [Fact]
    public async Task Uncordon_as_json_prints_the_node()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await Neoctl.RunAsync(host, "cordon", NodeId, "--reason", "check");

        var run = await Neoctl.RunAsync(host, "uncordon", NodeId, "--reason", "fine", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("available", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Describe_node_shows_the_node_its_gpus_links_and_history()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await Neoctl.RunAsync(host, "cordon", NodeId, "--reason", "ecc errors");

        var run = await Neoctl.RunAsync(host, "describe", "node", NodeId);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"id:           {NodeId}", run.Out, StringComparison.Ordinal);
        Assert.Contains("state:        cordoned", run.Out, StringComparison.Ordinal);
        Assert.Contains("GPUs:", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{NodeId}/gpu7", run.Out, StringComparison.Ordinal);
        Assert.Contains("Links:", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{NodeId}/mlx5_0", run.Out, StringComparison.Ordinal);
        Assert.Contains("History:", run.Out, StringComparison.Ordinal);
        Assert.Contains("ecc errors", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_node_as_yaml_holds_the_gpus()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "describe", "node", NodeId, "-o", "yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("node:", run.Out, StringComparison.Ordinal);
        Assert.Contains($"id: {NodeId}/gpu0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_node_exits_2_with_one_line_on_stderr()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var describe = await Neoctl.RunAsync(host, "describe", "node", "euw9-dc9-r99-n99");
        var cordon = await Neoctl.RunAsync(host, "cordon", "euw9-dc9-r99-n99", "--reason", "x");

        Assert.Equal(ExitCodes.NotFound, describe.ExitCode);
        Assert.Equal(ExitCodes.NotFound, cordon.ExitCode);
        Assert.Equal("error: No node 'euw9-dc9-r99-n99' (404 not-found)", describe.Error.Trim());
    }

    [Fact]
    public async Task An_illegal_transition_exits_3()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var node = (await host.Fleet.GetNodeAsync(new(NodeId), CancellationToken.None))!;
        await host.Fleet.ApplyNodeTransitionAsync(node.Id, node.Version,
            new(NodeId, NeoCloud.Fleet.Lifecycle.LifecycleState.Available, NeoCloud.Fleet.Lifecycle.LifecycleState.Rma, "automation:test", "setup", DateTimeOffset.UnixEpoch),
            CancellationToken.None);

        var run = await Neoctl.RunAsync(host, "cordon", NodeId, "--reason", "x");

        Assert.Equal(ExitCodes.Conflict, run.ExitCode);
        Assert.Contains("illegal-transition", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cordon_without_a_reason_is_a_usage_error()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "cordon", NodeId);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--reason", run.Error, StringComparison.Ordinal);
        Assert.Empty(host.Audit.Records);
    }

    [Fact]
    public async Task An_unknown_output_format_is_a_usage_error()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var run = await Neoctl.RunAsync(host, "get", "nodes", "-o", "xml");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_exits_4()
    {
        var run = await Neoctl.RunAsync(null, _ => null, "get", "nodes", "--server", "http://127.0.0.1:9");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.StartsWith("error: cannot reach NeoCloud at http://127.0.0.1:9/", run.Error, StringComparison.Ordinal);
    }
}
