using System.Text.Json;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Server.Tests.Fakes;

namespace NeoCloud.Cli.Tests.Commands;

public sealed class HealthCommandTests
{
    private const string Node = "euw1-dc1-r01-n01";
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow.AddMinutes(-30);

    [Fact]
    public async Task Health_prints_the_summary_with_findings_by_code_and_the_delay_percentiles()
    {
        await using var host = await SeededAsync();

        var run = await Neoctl.RunAsync(host, "health");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Detection delay:\s+p50 4 s, p95 4 s \(2 samples\)", run.Out);
        Assert.Matches(@"Time to return:\s+p50 180 s, p95 180 s \(1 samples\)", run.Out);
        Assert.Matches(@"XID-79\s+1", run.Out);
        Assert.Matches(@"ECC-DBE\s+1", run.Out);
        Assert.Matches(@"drain\s+1", run.Out);
    }

    [Fact]
    public async Task Health_findings_lists_filtered_findings_as_a_table_and_as_json()
    {
        await using var host = await SeededAsync();

        var table = await Neoctl.RunAsync(host, "health", "findings", "--code", "XID-79");
        var json = await Neoctl.RunAsync(host, "health", "findings", "--node", Node, "-o", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("fnd-001", table.Out, StringComparison.Ordinal);
        Assert.Contains($"{Node}/gpu2", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("fnd-002", table.Out, StringComparison.Ordinal);
        var items = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(["fnd-002", "fnd-001"], items.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Health_remediations_lists_runs_and_active_leaves_out_the_finished_ones()
    {
        await using var host = await SeededAsync();

        var all = await Neoctl.RunAsync(host, "health", "remediations");
        var active = await Neoctl.RunAsync(host, "health", "remediations", "--active");

        Assert.Contains("rem-001", all.Out, StringComparison.Ordinal);
        Assert.Contains("rem-002", all.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("rem-001", active.Out, StringComparison.Ordinal);
        Assert.Contains("rem-002", active.Out, StringComparison.Ordinal);
        Assert.Contains("reset-gpu", active.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_describe_prints_a_run_and_its_history_and_an_unknown_one_exits_not_found()
    {
        await using var host = await SeededAsync();

        var run = await Neoctl.RunAsync(host, "health", "describe", "rem-002");
        var missing = await Neoctl.RunAsync(host, "health", "describe", "rem-nope");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"step:\s+drain", run.Out);
        Assert.Matches(@"target\.id:\s+" + Node + "/gpu0", run.Out);
        Assert.Contains("History:", run.Out, StringComparison.Ordinal);
        Assert.Contains("drained 1 job", run.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("rem-nope", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_cancel_needs_a_reason_and_an_unknown_run_exits_not_found()
    {
        await using var host = await SeededAsync();

        var noReason = await Neoctl.RunAsync(host, "health", "cancel", "rem-002");
        var missing = await Neoctl.RunAsync(host, "health", "cancel", "rem-nope", "--reason", "false alarm");
        var approveMissing = await Neoctl.RunAsync(host, "health", "approve", "rem-nope");

        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Equal(ExitCodes.NotFound, approveMissing.ExitCode);
        Assert.Equal(RemediationStep.Drain, (await host.Health.GetRunAsync("rem-002", default))!.Step);
    }

    // Needs the remediation engine's body (its slice); passes once it is merged.
    [Fact]
    public async Task Health_cancel_ends_a_run_and_prints_its_step()
    {
        await using var host = await SeededAsync(engine: true);

        var run = await Neoctl.RunAsync(host, "health", "cancel", "rem-002", "--reason", "false alarm", "--actor", "person:alice");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("remediation/rem-002 cancelled", run.Out.Trim());
    }

    // Without the engine (health off) the seeded runs stay as seeded: the listings and problems are the API's over the store.
    private static async Task<NeoCloudTestHost> SeededAsync(bool engine = false)
    {
        var host = await NeoCloudTestHost.StartAsync(settings: new Dictionary<string, string> { ["NeoCloud:Health:Enabled"] = engine ? "true" : "false" });
        var xid = Finding("fnd-001", "XID-79", 2);
        await host.Health.AppendFindingsAsync([xid, Finding("fnd-002", "ECC-DBE", 5)], default);
        await host.Health.AppendDiagnosisAsync(new Diagnosis("dgn-001", xid.Component, 0.9, "one GPU", Health.Catalog.RemedyHint.ResetGpu, true, At, [Node], [xid.Component.Id], [xid]), default);
        await host.Health.CreateRunAsync(Run("rem-001", RemediationStep.Returned, TimeSpan.FromMinutes(3)), default);
        await host.Health.CreateRunAsync(Run("rem-002", RemediationStep.Drain, null), default);
        return host;
    }

    private static Finding Finding(string id, string code, int gpu) => new(
        id, code, new ComponentRef(ComponentKind.Gpu, $"{Node}/gpu{gpu}"), Severity.Critical, true, At - TimeSpan.FromSeconds(4), At,
        $"{code} on gpu{gpu}", [new Evidence(At, $"{Node}/gpu{gpu}", code, 1)]) { Node = Node };

    private static RemediationRun Run(string id, RemediationStep step, TimeSpan? took) => new(
        id, "dgn-" + id, new ComponentRef(ComponentKind.Gpu, $"{Node}/gpu0"), [Node], [$"{Node}/gpu0"], step, 0,
        [RemediationAction.ResetGpu, RemediationAction.RebootNode], DrainMode.Immediate, false, false, null, "XID 79", At, At,
        took is { } t ? At + t : null, 0, [new RemediationEvent(At, step, "drained 1 job", "job-1 requeued")], 1);
}
