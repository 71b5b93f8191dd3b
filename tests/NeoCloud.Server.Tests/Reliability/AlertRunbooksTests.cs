using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Reliability.Runbooks;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Server.Tests.Reliability;

public sealed class AlertRunbooksTests
{
    private const string Node = "euw1-dc1-r01-n01";

    [Fact]
    public async Task A_node_down_alert_that_reaches_a_receiver_starts_its_runbook_once()
    {
        await using var host = await NeoCloudTestHost.StartAsync(
            settings: new Dictionary<string, string> { ["NeoCloud:Reliability:StepInterval"] = "01:00:00" },
            moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
        string manifest = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "examples", "runbooks", "node-down-triggered.yaml"));
        using (var put = await host.Client.PutAsync(new Uri("/api/v1/runbooks/node-down-fence", UriKind.Relative), new StringContent(manifest, Encoding.UTF8, "application/yaml")))
        {
            put.EnsureSuccessStatusCode();
        }

        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        var trigger = host.Services.GetRequiredService<AlertRunbooks>();
        var runbooks = host.Services.GetRequiredService<RunbookService>();
        var t0 = runtime.Now;
        host.Services.GetRequiredService<HealthAlertFeed>().Enqueue(HealthRounds.NodeDown("dgn-0001", Node, t0));

        await trigger.StartAsync(await runtime.StepAsync(t0, CancellationToken.None), CancellationToken.None);
        Assert.Empty((await runbooks.Runner.ListAsync(null, "node-down-fence", 10, null, CancellationToken.None)).Items); // still in group_wait

        await trigger.StartAsync(await runtime.StepAsync(t0 + TimeSpan.FromSeconds(31), CancellationToken.None), CancellationToken.None);
        await trigger.StartAsync(await runtime.StepAsync(t0 + TimeSpan.FromHours(5), CancellationToken.None), CancellationToken.None); // a repeat
        var runs = (await runbooks.Runner.ListAsync(null, "node-down-fence", 10, null, CancellationToken.None)).Items;

        var run = Assert.Single(runs);
        Assert.Equal(Node, run.Parameters["node"]);
        Assert.Equal("node-down", run.Trigger.AlertName);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("the repository root (with examples/) was not found above the test binaries");
    }
}
