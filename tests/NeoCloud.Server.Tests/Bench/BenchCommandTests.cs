using System.CommandLine;
using System.Text.Json;
using NeoCloud.Server.Hosting;

namespace NeoCloud.Server.Tests.Bench;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await ServerCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<(string Nodes, string Pods)> WriteTraceAsync()
    {
        string nodes = Path.Combine(_dir, "nodes.csv"), pods = Path.Combine(_dir, "openb_pod_list_tiny.csv");
        await File.WriteAllTextAsync(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn0,8000,8192,1,T4\nn1,8000,8192,1,T4\n");
        // p0 asks more CPU than any node has; p1..p3 take one GPU each, and only two GPUs exist.
        await File.WriteAllTextAsync(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\np0,9000,0,0,0,\np1,0,0,1,1000,\np2,0,0,1,1000,\np3,0,0,1,1000,\n");
        return (nodes, pods);
    }

    [Fact]
    public async Task Openb_runs_our_policy_and_reports_the_first_failure_and_the_unplaceable_tasks_in_json()
    {
        var (nodes, pods) = await WriteTraceAsync();

        var (exit, output, error) = await RunAsync("bench", "openb", "--nodes", nodes, "--pods", pods, "--inflation", "1.0", "--seed", "4", "--json");

        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("neocloud", root.GetProperty("policy").GetString());
        Assert.Equal((2, 2, 1), (root.GetProperty("placed").GetInt32(), root.GetProperty("failed").GetInt32(), root.GetProperty("unplaceable").GetInt32()));
        Assert.Equal(150, root.GetProperty("first_failure_arrival_percent").GetDouble(), 6);
        Assert.Equal(100, root.GetProperty("allocation_rate").GetProperty("100").GetDouble(), 6);
    }

    [Fact]
    public async Task Openb_table_names_the_policy_and_the_first_failure()
    {
        var (nodes, pods) = await WriteTraceAsync();
        await File.WriteAllTextAsync(Path.Combine(_dir, "expected_allocation_rate.csv"), "workload,sc_policy,0,1\nopenb_pod_list_tiny,06-FGD,0,1\n");

        var (exit, output, error) = await RunAsync("bench", "openb", "--nodes", nodes, "--pods", pods, "--inflation", "1.0", "--seed", "4", "--policy", "fgd");

        Assert.True(exit == 0, error);
        Assert.Contains("policy fgd", output, StringComparison.Ordinal);
        Assert.Contains("first failure of a task some node could host: 150.00% arrival; 1 task(s) no node can host", output, StringComparison.Ordinal);
    }
}
