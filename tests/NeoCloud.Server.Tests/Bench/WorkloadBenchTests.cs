using System.CommandLine;
using System.Text.Json;
using NeoCloud.Server.Hosting;

namespace NeoCloud.Server.Tests.Bench;

public sealed class WorkloadBenchTests : IDisposable
{
    private const string SmallFleet = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata: { name: bench-small }
        spec:
          regions:
            - name: euw1
              displayName: Europe West 1
              sites:
                - name: dc1
                  pods: 2
                  racksPerPod: 4
                  nodesPerRack: 4
                  skuMix: [ { sku: h100-sxm5-80gb, percent: 100 } ]
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 8, spinesPerPod: 4, linkSpeedGbps: 400 }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Scheduler_bench_fills_the_fleet_from_the_backlog_and_reports_throughput_and_latency()
    {
        string fleet = Path.Combine(_dir, "fleet.yaml");
        await File.WriteAllTextAsync(fleet, SmallFleet);

        var (exit, output, error) = await RunAsync("bench", "scheduler", "--fleet", fleet, "--pending", "2000", "--queues", "10", "--cycles", "3", "--json");

        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal((32, 256, 2000), (root.GetProperty("nodes").GetInt32(), root.GetProperty("gpus").GetInt32(), root.GetProperty("pending").GetInt32()));
        Assert.True(root.GetProperty("replicasStarted").GetInt64() > 0);
        Assert.True(root.GetProperty("replicasPerSecond").GetDouble() > 0);
        Assert.InRange(root.GetProperty("finalAllocation").GetDouble(), 0.5, 1.0);
        Assert.True(root.GetProperty("decisionP99Ms").GetDouble() >= root.GetProperty("decisionP50Ms").GetDouble());
        Assert.Equal(2000 - root.GetProperty("workloadsStarted").GetInt64(), root.GetProperty("stillPending").GetInt64());
    }

    [Fact]
    public async Task Replay_runs_the_same_trace_through_both_policies_and_every_job_ends()
    {
        string trace = Path.Combine(_dir, "venus");
        Directory.CreateDirectory(trace);
        string rows = string.Join('\n', Enumerable.Range(0, 36).Select(i =>
            $"{new DateTime(2020, 4, 1).AddMinutes(10 * i):yyyy-MM-dd HH:mm:ss},0,0,0,4,0,0,12,0,0"));
        await File.WriteAllTextAsync(Path.Combine(trace, "venus_throughput_apr_aug_2020.csv"),
            "time,submit_job_all,start_job_all,end_job_all,submit_gpu_job,start_gpu_job,end_gpu_job,submit_gpu_num,start_gpu_num,end_gpu_num\n" + rows);
        await File.WriteAllTextAsync(Path.Combine(trace, "venus_vc_gpu_nodes.csv"), ",num\nvcA,3\nvcB,1\n");
        string fleet = Path.Combine(_dir, "fleet.yaml");
        await File.WriteAllTextAsync(fleet, SmallFleet);

        var (exit, output, error) = await RunAsync("bench", "replay", "--trace", trace, "--fleet", fleet, "--days", "0.25", "--seed", "2", "--json");

        Assert.True(exit == 0, error);
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["neocloud", "fifo"], results.Select(r => r.GetProperty("policy").GetString()));
        Assert.All(results, r => Assert.Equal(144, r.GetProperty("jobs").GetInt32()));
        Assert.All(results, r => Assert.Equal(144, r.GetProperty("completed").GetInt32() + r.GetProperty("failed").GetInt32()));
        Assert.All(results, r => Assert.True(r.GetProperty("meanJctSeconds").GetDouble() >= r.GetProperty("meanWaitSeconds").GetDouble()));
    }

    [Fact]
    public async Task Replay_names_a_missing_trace_file()
    {
        var (exit, _, error) = await RunAsync("bench", "replay", "--trace", _dir);

        Assert.Equal(1, exit);
        Assert.Contains("venus_throughput_apr_aug_2020.csv", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await ServerCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
