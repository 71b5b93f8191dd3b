using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability.Runbooks;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class RunbookCommandTests
{
    private const string Node = "euw1-dc1-r01-n01";

    private static string Examples
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeoCloud.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("no repository root"), "examples", "runbooks");
        }
    }

    private static Task<NeoCloudTestHost> StartAsync(bool withExamples = true) => NeoCloudTestHost.StartAsync(
        settings: withExamples
            ? new Dictionary<string, string> { ["NeoCloud:Health:Enabled"] = "false", ["NeoCloud:Reliability:RunbooksPath"] = Examples }
            : new Dictionary<string, string> { ["NeoCloud:Health:Enabled"] = "false" },
        moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));

    [Fact]
    public async Task Runbook_list_shows_each_runbook_with_its_steps_gated_ones_starred()
    {
        await using var host = await StartAsync();

        var run = await Neoctl.RunAsync(host, "runbook", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"drain-and-diagnose-node\s+query → cordon → drain\* → run-diagnostics\* → notify\s+1", run.Out);
        Assert.Contains("restart-failed-job", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runbook_apply_declares_a_manifest_and_an_invalid_one_exits_with_usage_and_the_line()
    {
        await using var host = await StartAsync(withExamples: false);
        string dir = Directory.CreateTempSubdirectory("neoctl-runbook").FullName;
        string good = Path.Combine(dir, "good.yaml");
        string bad = Path.Combine(dir, "bad.yaml");
        File.Copy(Path.Combine(Examples, "restart-failed-job.yaml"), good);
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(good)).Replace("action: restart-job", "action: reboot-job", StringComparison.Ordinal));

        var applied = await Neoctl.RunAsync(host, "runbook", "apply", "-f", good);
        var refused = await Neoctl.RunAsync(host, "runbook", "apply", "-f", bad);

        Assert.Equal(0, applied.ExitCode);
        Assert.Contains("runbook/restart-failed-job applied (3 steps)", applied.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("'reboot-job' is not an action", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runbook_run_with_wait_prints_each_step_and_stops_at_the_approval_gate()
    {
        await using var host = await StartAsync();

        var run = await Neoctl.RunAsync(host, "runbook", "run", "drain-and-diagnose-node", "--param", $"node={Node}", "--wait", "--interval", "0.05", "--actor", "alice");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"1\. look\s+query\s+succeeded\s+node " + Node + " is available", run.Out);
        Assert.Matches(@"2\. cordon\s+cordon\s+succeeded", run.Out);
        Assert.Matches(@"awaits approval of step 'drain': neoctl runbook approve rbk-\w+", run.Out);
    }

    [Fact]
    public async Task Runbook_run_dry_run_as_json_ends_succeeded_without_changing_the_node()
    {
        await using var host = await StartAsync();

        var run = await Neoctl.RunAsync(host, "runbook", "run", "drain-and-diagnose-node", "-p", $"node={Node}", "--dry-run", "--wait", "--interval", "0.05", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var doc = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("succeeded", doc.GetProperty("state").GetString());
        Assert.StartsWith("would drain node", doc.GetProperty("steps")[2].GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(Fleet.Lifecycle.LifecycleState.Available, (await host.Fleet.GetNodeAsync(new Kernel.Ids.NodeId(Node), default))!.State);
    }

    [Fact]
    public async Task Runbook_approve_is_refused_to_the_starter_and_granted_to_someone_else_and_describe_shows_it()
    {
        await using var host = await StartAsync();
        var started = await Neoctl.RunAsync(host, "runbook", "run", "drain-and-diagnose-node", "-p", $"node={Node}", "--actor", "alice", "-o", "json");
        string id = JsonDocument.Parse(started.Out).RootElement.GetProperty("id").GetString()!;
        await host.Services.GetRequiredService<RunbookService>().IdleAsync();

        var self = await Neoctl.RunAsync(host, "runbook", "approve", id, "--actor", "alice");
        var other = await Neoctl.RunAsync(host, "runbook", "approve", id, "--actor", "bob", "--step", "drain");
        await host.Services.GetRequiredService<RunbookService>().IdleAsync();
        var describe = await Neoctl.RunAsync(host, "runbook", "describe", id);

        Assert.Equal(ExitCodes.ServerError, self.ExitCode);
        Assert.Contains("two-person rule", self.Error, StringComparison.Ordinal);
        Assert.Equal(0, other.ExitCode);
        Assert.Contains($"runbook-run/{id} approved (step: drain)", other.Out, StringComparison.Ordinal);
        Assert.Matches(@"drain\s+drain\s+succeeded\s+required\s+person:bob", describe.Out);
        Assert.Matches(@"state:\s+awaiting-approval", describe.Out);
        Assert.Contains("approved step 'drain'", describe.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runbook_cancel_ends_a_waiting_run_and_runs_lists_it_and_an_unknown_run_exits_not_found()
    {
        await using var host = await StartAsync();
        var started = await Neoctl.RunAsync(host, "runbook", "run", "drain-and-diagnose-node", "-p", $"node={Node}", "-o", "json");
        string id = JsonDocument.Parse(started.Out).RootElement.GetProperty("id").GetString()!;
        await host.Services.GetRequiredService<RunbookService>().IdleAsync();

        var cancel = await Neoctl.RunAsync(host, "runbook", "cancel", id, "--reason", "wrong node", "--actor", "bob");
        var runs = await Neoctl.RunAsync(host, "runbook", "runs", "--state", "cancelled");
        var missing = await Neoctl.RunAsync(host, "runbook", "describe", "rbk-nope");
        var badParam = await Neoctl.RunAsync(host, "runbook", "run", "drain-and-diagnose-node", "-p", "node");

        Assert.Contains($"runbook-run/{id} cancelled", cancel.Out, StringComparison.Ordinal);
        Assert.Matches(id + @"\s+drain-and-diagnose-node\s+cancelled", runs.Out);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Equal(ExitCodes.Usage, badParam.ExitCode);
    }
}
