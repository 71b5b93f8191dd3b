using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Server.Health;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;
using static NeoCloud.Server.Tests.Health.HealthRecords;

namespace NeoCloud.Server.Tests.Health;

/// <summary>
/// Commands on remediation runs and breakers through the API, the uncordon hook and the metrics. Those that reach the
/// remediation engine need its real body (the remediation slice); the ones with health turned off do not.
/// </summary>
public sealed class HealthCommandTests
{
    private const string NodeA = "euw1-dc1-r01-n01";

    private static readonly Dictionary<string, string> HealthOff = new() { ["NeoCloud:Health:Enabled"] = "false" };

    [Fact]
    public async Task With_health_turned_off_commands_are_503_problems_saying_why_and_listings_still_answer()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.AwaitingApproval, T0, approval: true), default);

        var approve = await host.Client.PostJsonAsync("/api/v1/health/remediations/rem-001/approve", new { actor = "person:alice" }, HttpStatusCode.ServiceUnavailable);
        var reset = await host.Client.PostJsonAsync("/api/v1/health/breakers/fleet/reset", new { actor = "person:alice" }, HttpStatusCode.ServiceUnavailable);
        var summary = await host.Client.GetJsonAsync("/api/v1/health/summary");
        var runs = await host.Client.GetJsonAsync("/api/v1/health/remediations");

        Assert.Equal("https://neocloud.dev/problems/unavailable", approve["type"]!.GetValue<string>());
        Assert.Contains("NeoCloud:Health:Enabled", approve["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("https://neocloud.dev/problems/unavailable", reset["type"]!.GetValue<string>());
        Assert.False(summary["running"]!.GetValue<bool>());
        Assert.Equal(["rem-001"], runs["items"].Strings("id"));
    }

    [Fact]
    public async Task Uncordoning_with_health_off_still_returns_the_node_to_service()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeA}/cordon", new { reason = "test", actor = "person:alice" });

        var node = await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeA}/uncordon", new { reason = "fixed", actor = "person:alice" });

        Assert.Equal("available", node["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pages_are_kept_for_the_summary_and_counted_on_metrics()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        var pager = host.Services.GetRequiredService<LoggingPager>();

        await pager.PageAsync(new OnCallPage(T0, Severity.Critical, "breaker:fleet", "findings spiked: automation stopped"), default);
        var summary = await host.Client.GetJsonAsync("/api/v1/health/summary");
        string metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("findings spiked: automation stopped", summary["recentPages"]![0]!["summary"]!.GetValue<string>());
        Assert.Contains("neocloud_health_pages_total", metrics, StringComparison.Ordinal);
        Assert.Contains("neocloud_health_remediations_active", metrics, StringComparison.Ordinal);
    }

    // The tests below drive the remediation engine: they pass once its body is merged.

    [Fact]
    public async Task Approving_a_run_that_waits_for_a_person_records_who_approved_it()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.AwaitingApproval, T0, approval: true), default);

        var run = await host.Client.PostJsonAsync("/api/v1/health/remediations/rem-001/approve", new { actor = "person:alice" });

        Assert.Equal("person:alice", run["approvedBy"]!.GetValue<string>());
        Assert.NotEqual("awaiting-approval", run["step"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_run_ends_it_with_the_reason_in_its_history()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.AwaitingApproval, T0, approval: true), default);

        var run = await host.Client.PostJsonAsync("/api/v1/health/remediations/rem-001/cancel", new { reason = "false alarm, the GPU is fine", actor = "person:alice" });

        Assert.Equal("cancelled", run["step"]!.GetValue<string>());
        Assert.Contains(run["history"]!.AsArray(), e => e!["detail"]!.GetValue<string>().Contains("false alarm", StringComparison.Ordinal)
            || e["what"]!.GetValue<string>().Contains("false alarm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_person_uncordoning_a_node_cancels_the_remediation_fencing_it()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        // A run past its fence (a queued or waiting run has not touched the node, so an uncordon leaves it be).
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.Drain, T0), default);
        await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeA}/cordon", new { reason = "remediation", actor = "automation:health-remediation" });

        await host.Client.PostJsonAsync($"/api/v1/nodes/{NodeA}/uncordon", new { reason = "I checked it", actor = "person:alice" });

        Assert.Equal(RemediationStep.Cancelled, (await host.Health.GetRunAsync("rem-001", default))!.Step);
    }

    [Fact]
    public async Task Resetting_a_breaker_answers_which_breakers_are_still_open()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var reset = await host.Client.PostJsonAsync("/api/v1/health/breakers/fleet/reset", new { actor = "person:alice" });

        Assert.Equal("fleet", reset["scope"]!.GetValue<string>());
        Assert.Equal("person:alice", reset["resetBy"]!.GetValue<string>());
        Assert.Empty(reset["stillOpen"]!.AsArray());
    }

    [Fact]
    public async Task Resetting_an_unknown_breaker_is_a_400_problem_naming_the_scopes()
    {
        await using var host = await NeoCloudTestHost.StartAsync();

        var problem = await host.Client.PostJsonAsync("/api/v1/health/breakers/galaxy/reset", new { actor = "person:alice" }, HttpStatusCode.BadRequest);

        Assert.Contains("galaxy", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
