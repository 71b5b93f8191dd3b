using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class IncidentCommandTests
{
    private const string Node = "euw1-dc1-r01-n01";

    [Fact]
    public async Task Incidents_list_shows_an_incident_opened_from_a_health_diagnosis_and_filters_by_status()
    {
        await using var host = await WithIncidentAsync();

        var all = await Neoctl.RunAsync(host, "incidents", "list");
        var resolved = await Neoctl.RunAsync(host, "incidents", "list", "--status", "resolved");
        var json = await Neoctl.RunAsync(host, "incidents", "list", "-o", "json");

        Assert.Equal(0, all.ExitCode);
        Assert.Matches(@"INC-0001\s+sev2\s+open", all.Out);
        Assert.DoesNotContain("INC-0001", resolved.Out, StringComparison.Ordinal);
        Assert.Equal(["INC-0001"], JsonDocument.Parse(json.Out).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Incidents_describe_prints_the_root_cause_the_timeline_and_the_alerts()
    {
        await using var host = await WithIncidentAsync();

        var run = await Neoctl.RunAsync(host, "incidents", "describe", "INC-0001");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Health diagnosis dgn-0001", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"opened\s+alertmanager", run.Out);
        Assert.Matches(@"node-down\s+page", run.Out);
    }

    [Fact]
    public async Task Incidents_ack_then_resolve_with_a_root_cause_closes_it_and_the_summary_says_why()
    {
        await using var host = await WithIncidentAsync();

        var ack = await Neoctl.RunAsync(host, "incidents", "ack", "INC-0001", "--note", "on it", "--actor", "person:dana");
        var resolve = await Neoctl.RunAsync(host, "incidents", "resolve", "INC-0001", "--note", "PSU swapped", "--root-cause", "failed PSU");
        var summary = await Neoctl.RunAsync(host, "incidents", "summary", "INC-0001");
        var again = await Neoctl.RunAsync(host, "incidents", "ack", "INC-0001");

        Assert.Equal((0, "incident/INC-0001 acknowledged"), (ack.ExitCode, ack.Out.Trim()));
        Assert.Equal((0, "incident/INC-0001 resolved"), (resolve.ExitCode, resolve.Out.Trim()));
        Assert.Contains("failed PSU", summary.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("resolved", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incidents_resolve_without_a_note_is_a_usage_error()
    {
        await using var host = await WithIncidentAsync();

        var run = await Neoctl.RunAsync(host, "incidents", "resolve", "INC-0001");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--note", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_lists_the_firing_alert_with_its_incident()
    {
        await using var host = await WithIncidentAsync();

        var run = await Neoctl.RunAsync(host, "alerts");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"node-down\s+page\s+\S+\s+INC-0001\s+false\s+" + Node, run.Out);
    }

    private static async Task<NeoCloudTestHost> WithIncidentAsync()
    {
        var host = await NeoCloudTestHost.StartAsync(
            settings: new Dictionary<string, string> { ["NeoCloud:Reliability:StepInterval"] = "01:00:00" },
            moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
        var runtime = host.Services.GetRequiredService<ReliabilityRuntime>();
        var at = runtime.Now;
        host.Services.GetRequiredService<HealthAlertFeed>().Enqueue(HealthRounds.NodeDown("dgn-0001", Node, at));
        await runtime.StepAsync(at, CancellationToken.None);
        await runtime.StepAsync(at + TimeSpan.FromSeconds(31), CancellationToken.None);
        return host;
    }
}
