using System.Net;
using NeoCloud.Health.Remediation;
using NeoCloud.Server.Tests.Api;
using NeoCloud.Server.Tests.Fakes;
using static NeoCloud.Server.Tests.Health.HealthRecords;

namespace NeoCloud.Server.Tests.Health;

/// <summary>The health API over the host's store (health turned off, so nothing but the test changes it): listings with their filters and paging, one run, problems, the summary's figures.</summary>
public sealed class HealthApiTests
{
    private const string NodeA = "euw1-dc1-r01-n01";
    private const string NodeB = "euw1-dc1-r01-n02";

    // The engine off: seeded runs stay as seeded, and what is tested is the API over the store.
    private static readonly Dictionary<string, string> HealthOff = new() { ["NeoCloud:Health:Enabled"] = "false" };

    [Fact]
    public async Task Findings_are_listed_newest_first_and_filtered_by_node_and_code()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.AppendFindingsAsync(
            [Finding("fnd-001", NodeA, "XID-79", TimeSpan.FromSeconds(5)), Finding("fnd-002", NodeB, "XID-79", TimeSpan.FromSeconds(5)), Finding("fnd-003", NodeA, "ECC-DBE", TimeSpan.FromSeconds(5))],
            default);

        var all = await host.Client.GetJsonAsync("/api/v1/health/findings");
        var onA = await host.Client.GetJsonAsync($"/api/v1/health/findings?node={NodeA}");
        var xidOnA = await host.Client.GetJsonAsync($"/api/v1/health/findings?node={NodeA}&code=XID-79");

        Assert.Equal(["fnd-003", "fnd-002", "fnd-001"], all["items"].Strings("id"));
        Assert.Equal(["fnd-003", "fnd-001"], onA["items"].Strings("id"));
        Assert.Equal(["fnd-001"], xidOnA["items"].Strings("id"));
        Assert.Equal("critical", xidOnA["items"]![0]!["severity"]!.GetValue<string>());
        Assert.Equal(NodeA, xidOnA["items"]![0]!["node"]!.GetValue<string>());
    }

    [Fact]
    public async Task Findings_page_with_a_cursor_and_a_link_header()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.AppendFindingsAsync([.. Enumerable.Range(1, 5).Select(i => Finding($"fnd-00{i}", NodeA, "XID-79", TimeSpan.Zero))], default);

        using var response = await host.Client.GetAsync(new Uri("/api/v1/health/findings?limit=2", UriKind.Relative));
        var first = await ApiJson.ReadAsync(response, HttpStatusCode.OK);
        string cursor = first["nextCursor"]!.GetValue<string>();
        var second = await host.Client.GetJsonAsync($"/api/v1/health/findings?limit=2&cursor={Uri.EscapeDataString(cursor)}");

        Assert.Equal(["fnd-005", "fnd-004"], first["items"].Strings("id"));
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(["fnd-003", "fnd-002"], second["items"].Strings("id"));
    }

    [Theory]
    [InlineData("/api/v1/health/findings?since=yesterday", "since")]
    [InlineData("/api/v1/health/findings?limit=0", "limit")]
    [InlineData("/api/v1/health/diagnoses?cursor=%25%25", "cursor")]
    [InlineData("/api/v1/health/remediations?active=maybe", "active")]
    [InlineData("/api/v1/health/summary?since=soon", "since")]
    public async Task Bad_health_query_parameters_are_400_problems_naming_the_parameter(string url, string parameter)
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);

        var problem = await host.Client.GetJsonAsync(url, HttpStatusCode.BadRequest);

        Assert.Equal("https://neocloud.dev/problems/invalid-request", problem["type"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task Diagnoses_are_listed_with_their_suspect_reasoning_and_findings()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        var finding = Finding("fnd-001", NodeA, "XID-79", TimeSpan.FromSeconds(3));
        await host.Health.AppendDiagnosisAsync(Diagnosis("dgn-001", finding), default);

        var list = await host.Client.GetJsonAsync("/api/v1/health/diagnoses");

        var diagnosis = list["items"]![0]!;
        Assert.Equal("dgn-001", diagnosis["id"]!.GetValue<string>());
        Assert.Equal("gpu", diagnosis["suspect"]!["kind"]!.GetValue<string>());
        Assert.Equal("reset-gpu", diagnosis["remedy"]!.GetValue<string>());
        Assert.Equal(["fnd-001"], diagnosis["findings"].Strings("id"));
    }

    [Fact]
    public async Task Remediations_are_filtered_by_activity_and_node_and_one_is_read_with_its_history()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.Returned, T0, TimeSpan.FromMinutes(2)), default);
        await host.Health.CreateRunAsync(Run("rem-002", NodeA, RemediationStep.Drain, T0), default);
        await host.Health.CreateRunAsync(Run("rem-003", NodeB, RemediationStep.Act, T0), default);

        var active = await host.Client.GetJsonAsync("/api/v1/health/remediations?active=true");
        var finished = await host.Client.GetJsonAsync("/api/v1/health/remediations?active=false");
        var onA = await host.Client.GetJsonAsync($"/api/v1/health/remediations?node={NodeA}");
        var one = await host.Client.GetJsonAsync("/api/v1/health/remediations/rem-002");

        Assert.Equal(["rem-003", "rem-002"], active["items"].Strings("id"));
        Assert.Equal(["rem-001"], finished["items"].Strings("id"));
        Assert.Equal(["rem-002", "rem-001"], onA["items"].Strings("id"));
        Assert.Equal("drain", one["step"]!.GetValue<string>());
        Assert.Equal(["reset-gpu", "reboot-node", "replace"], one["ladder"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Single(one["history"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_run_is_a_404_problem_for_reading_approving_and_cancelling()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);

        var get = await host.Client.GetJsonAsync("/api/v1/health/remediations/rem-nope", HttpStatusCode.NotFound);
        var approve = await host.Client.PostJsonAsync("/api/v1/health/remediations/rem-nope/approve", new { actor = "person:alice" }, HttpStatusCode.NotFound);
        var cancel = await host.Client.PostJsonAsync("/api/v1/health/remediations/rem-nope/cancel", new { reason = "false alarm", actor = "person:alice" }, HttpStatusCode.NotFound);

        Assert.All([get, approve, cancel], p => Assert.Equal("https://neocloud.dev/problems/not-found", p["type"]!.GetValue<string>()));
        Assert.Contains("rem-nope", get["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_without_a_reason_is_a_400_problem_naming_the_reason()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.Drain, T0), default);

        var problem = await host.Client.PostJsonAsync("/api/v1/health/remediations/rem-001/cancel", new { actor = "person:alice" }, HttpStatusCode.BadRequest);

        Assert.Contains("required", problem["errors"]!["reason"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(RemediationStep.Drain, (await host.Health.GetRunAsync("rem-001", default))!.Step);
    }

    [Fact]
    public async Task The_summary_counts_findings_by_code_and_active_runs_by_step_with_delay_and_return_percentiles()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.AppendFindingsAsync(
            [.. Enumerable.Range(1, 10).Select(i => Finding($"fnd-{i:000}", NodeA, i <= 7 ? "XID-79" : "ECC-DBE", TimeSpan.FromSeconds(i)))], default);
        await host.Health.CreateRunAsync(Run("rem-001", NodeA, RemediationStep.Returned, T0, TimeSpan.FromMinutes(2)), default);
        await host.Health.CreateRunAsync(Run("rem-002", NodeB, RemediationStep.Rma, T0, TimeSpan.FromMinutes(10)), default);
        await host.Health.CreateRunAsync(Run("rem-003", NodeB, RemediationStep.Cancelled, T0, TimeSpan.FromMinutes(99)), default);
        await host.Health.CreateRunAsync(Run("rem-004", NodeA, RemediationStep.Drain, T0), default);
        await host.Health.CreateRunAsync(Run("rem-005", NodeB, RemediationStep.Drain, T0), default);

        var summary = await host.Client.GetJsonAsync($"/api/v1/health/summary?since={Uri.EscapeDataString(T0.AddHours(-1).ToString("O"))}");

        Assert.Equal(7, summary["findingsByCode"]!["XID-79"]!.GetValue<int>());
        Assert.Equal(3, summary["findingsByCode"]!["ECC-DBE"]!.GetValue<int>());
        Assert.Equal(2, summary["activeRunsByStep"]!["drain"]!.GetValue<int>());
        Assert.Equal(10, summary["detectionDelaySeconds"]!["count"]!.GetValue<int>());
        Assert.Equal(5, summary["detectionDelaySeconds"]!["p50"]!.GetValue<double>());
        Assert.Equal(10, summary["detectionDelaySeconds"]!["p95"]!.GetValue<double>());
        Assert.Equal(2, summary["timeToReturnSeconds"]!["count"]!.GetValue<int>());
        Assert.Equal(120, summary["timeToReturnSeconds"]!["p50"]!.GetValue<double>());
        Assert.Equal(600, summary["timeToReturnSeconds"]!["p95"]!.GetValue<double>());
        Assert.Empty(summary["recentPages"]!.AsArray());
    }

    [Fact]
    public async Task The_summary_window_leaves_out_older_findings()
    {
        await using var host = await NeoCloudTestHost.StartAsync(settings: HealthOff);
        await host.Health.AppendFindingsAsync(
            [Finding("fnd-001", NodeA, "XID-79", TimeSpan.FromSeconds(1), at: T0.AddDays(-3)), Finding("fnd-002", NodeA, "XID-48", TimeSpan.FromSeconds(1), at: T0)], default);

        var summary = await host.Client.GetJsonAsync($"/api/v1/health/summary?since={Uri.EscapeDataString(T0.AddHours(-1).ToString("O"))}");

        Assert.Null(summary["findingsByCode"]!["XID-79"]);
        Assert.Equal(1, summary["findingsByCode"]!["XID-48"]!.GetValue<int>());
    }
}
