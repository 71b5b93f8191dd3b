using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Reliability.Store;
using NeoCloud.Server.Reliability.Slos;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class SloCommandTests
{
    private const string Manifest = """
        apiVersion: neocloud.dev/v1
        kind: SLO
        metadata:
          name: acme-job-success
        spec:
          service: acme-training
          tenant: acme
          indicator:
            spec:
              builtIn: job-success
          timeWindow:
            - duration: 30d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.99
        """;

    [Fact]
    public async Task Slo_list_shows_one_row_per_objective_with_its_budget_left()
    {
        await using var host = await StartAsync();
        await host.Services.GetRequiredService<SloRuntime>().EvaluateAsync(CancellationToken.None);

        var list = await Neoctl.RunAsync(host, "slo", "list");
        var json = await Neoctl.RunAsync(host, "slo", "list", "--service", "neocloud-scheduler", "-o", "json");

        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"api-availability\s+neocloud-api\s+", list.Out);
        Assert.Contains("BUDGET LEFT", list.Out, StringComparison.Ordinal);
        var rows = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().Select(r => r.GetProperty("slo").GetString()).ToList();
        Assert.Equal(["job-start-latency", "job-success"], rows);
    }

    [Fact]
    public async Task Slo_apply_status_and_budget_show_a_burning_slo_and_the_policy_freezing_its_service()
    {
        await using var host = await StartAsync();
        string file = Path.Combine(Path.GetTempPath(), $"slo-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Manifest);
        try
        {
            var apply = await Neoctl.RunAsync(host, "slo", "apply", "-f", file);
            Assert.Equal((0, "slo/acme-job-success applied"), (apply.ExitCode, apply.Out.Trim()));
        }
        finally
        {
            File.Delete(file);
        }

        var slos = host.Services.GetRequiredService<SloRuntime>();
        slos.Record("job-success", "acme", DateTimeOffset.UtcNow, 10, 100);
        await slos.EvaluateAsync(CancellationToken.None);

        var status = await Neoctl.RunAsync(host, "slo", "status", "acme-job-success");
        var budget = await Neoctl.RunAsync(host, "slo", "budget", "acme-job-success", "--service", "acme-training");
        var missing = await Neoctl.RunAsync(host, "slo", "status", "nope");

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Firing alerts", status.Out, StringComparison.Ordinal);
        Assert.Matches(@"page\s+1h\s+5m", status.Out);
        Assert.Equal(0, budget.ExitCode);
        Assert.Contains("Policy for acme-training: frozen", budget.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
    }

    [Fact]
    public async Task Slo_delete_withdraws_an_slo_declared_through_the_api_and_refuses_a_built_in_one()
    {
        await using var host = await StartAsync();
        string file = Path.Combine(Path.GetTempPath(), $"slo-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Manifest);
        try
        {
            await Neoctl.RunAsync(host, "slo", "apply", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }

        var deleted = await Neoctl.RunAsync(host, "slo", "delete", "acme-job-success");
        var refused = await Neoctl.RunAsync(host, "slo", "delete", "job-success");

        Assert.Equal((0, "slo/acme-job-success deleted"), (deleted.ExitCode, deleted.Out.Trim()));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("declared by NeoCloud itself", refused.Error, StringComparison.Ordinal);
    }

    private static Task<NeoCloudTestHost> StartAsync() => NeoCloudTestHost.StartAsync(
        settings: new Dictionary<string, string> { ["NeoCloud:Slos:EvaluationInterval"] = "01:00:00", ["NeoCloud:Reliability:StepInterval"] = "01:00:00" },
        moreServices: s => s.AddSingleton<IReliabilityStore>(new InMemoryReliabilityStore()));
}
