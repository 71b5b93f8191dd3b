using System.CommandLine;
using System.Text.Json;
using NeoCloud.Server.Hosting;

namespace NeoCloud.Server.Tests.Hosting;

public sealed class SimCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await ServerCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Sim_prints_a_json_summary_that_scripts_can_read()
    {
        var (exit, output, _) = await RunAsync("sim", "--hours", "2", "--seed", "3", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(936, root.GetProperty("nodes").GetInt32());
        Assert.Equal(6624, root.GetProperty("gpus").GetInt32());
        Assert.Equal(2, root.GetProperty("virtual_hours").GetDouble());
        Assert.Equal(720, root.GetProperty("ticks").GetInt64());
        Assert.InRange(root.GetProperty("mean_allocation_ratio").GetDouble(), 0.5, 0.95);
        Assert.True(root.GetProperty("wall_seconds").GetDouble() > 0);
        Assert.Equal(64, root.GetProperty("state_hash").GetString()!.Length);

        // The health object scripts rely on (issue 4).
        var health = root.GetProperty("health");
        foreach (string field in new[] { "faults_injected", "faults_detected", "missed_fatal", "actions_total", "actions_false_positive", "safety_budget_exceeded" })
        {
            Assert.True(health.GetProperty(field).GetInt32() >= 0, field);
        }

        foreach (string field in new[] { "mttd_seconds", "mttm_seconds", "mttr_seconds" })
        {
            Assert.True(health.GetProperty(field).GetProperty("p95").GetDouble() >= health.GetProperty(field).GetProperty("p50").GetDouble(), field);
        }

        Assert.True(health.GetProperty("gpu_hours_lost").GetDouble() >= 0);
        Assert.Equal(root.GetProperty("faults_injected").GetInt32(), health.GetProperty("faults_injected").GetInt32());

        // The alerts object (issue 5): counts, and ratios between 0 and 1.
        var alerts = root.GetProperty("alerts");
        Assert.True(alerts.GetProperty("true_positive").GetInt32() <= alerts.GetProperty("raised").GetInt32());
        Assert.True(alerts.GetProperty("incidents").GetInt32() >= 0);
        foreach (string field in new[] { "precision", "recall" })
        {
            Assert.InRange(alerts.GetProperty(field).GetDouble(), 0, 1);
        }

        Assert.True(alerts.GetProperty("incidents_per_fault").GetDouble() >= 0);
    }

    [Fact]
    public async Task Sim_without_health_prints_no_health_object()
    {
        var (exit, output, _) = await RunAsync("sim", "--hours", "1", "--seed", "3", "--json", "--no-health", "--tick", "30");

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(120, root.GetProperty("ticks").GetInt64());
        Assert.False(root.TryGetProperty("health", out _));
        Assert.False(root.TryGetProperty("alerts", out _));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_run_and_another_seed_another()
    {
        static string Hash(string output) => JsonDocument.Parse(output).RootElement.GetProperty("state_hash").GetString()!;

        var a = await RunAsync("sim", "--hours", "1", "--seed", "11", "--json");
        var b = await RunAsync("sim", "--hours", "1", "--seed", "11", "--json", "--threads", "1");
        var c = await RunAsync("sim", "--hours", "1", "--seed", "12", "--json");

        Assert.Equal(Hash(a.Out), Hash(b.Out));
        Assert.NotEqual(Hash(a.Out), Hash(c.Out));
    }

    [Fact]
    public async Task Scripted_faults_are_injected_on_schedule()
    {
        string script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, """
            apiVersion: neocloud.dev/v1
            kind: FaultScript
            metadata: { name: two }
            spec:
              faults:
                - { at: 10m, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 79 }
                - { at: 30m, target: euw1-dc1-su1-l01-r0, fault: switch-down }
            """);
        try
        {
            var (exit, output, _) = await RunAsync("sim", "--hours", "1", "--fault-rate", "0", "--script", script, "--json");

            Assert.Equal(0, exit);
            Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetProperty("faults_injected").GetInt32());
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task A_bad_fault_script_is_refused_with_its_line_and_nothing_runs()
    {
        string script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, """
            apiVersion: neocloud.dev/v1
            kind: FaultScript
            metadata: { name: bad }
            spec:
              faults:
                - { at: soon, target: euw1-dc1-r01-n01/gpu5, fault: xid, xid: 79 }
            """);
        try
        {
            var (exit, output, error) = await RunAsync("sim", "--hours", "1", "--script", script);

            Assert.Equal(1, exit);
            Assert.Empty(output);
            Assert.Contains("line 6", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Theory]
    [InlineData("--hours", "0")]
    [InlineData("--nodes", "0")]
    [InlineData("--fault-rate", "-1")]
    public async Task Impossible_arguments_are_refused(string option, string value)
    {
        var (exit, _, error) = await RunAsync("sim", option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }
}
