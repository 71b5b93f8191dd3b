using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NeoCloud.Fleet.Spec;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Simulator.Replay;

namespace NeoCloud.Server.Bench;

/// <summary>
/// <c>neocloud bench replay</c>: replays the Venus trace on the twin through the real job flow, once with our policy and
/// once with FIFO on the same jobs, and prints JCT, queueing delay, utilisation and makespan side by side.
/// </summary>
internal static class ReplayBench
{
    public static Command Create()
    {
        var fleet = new Option<FileInfo?>("--fleet") { Description = "A kind: Fleet file (default: bench/fleets/venus.yaml's shape, 135 eight-GPU nodes)." };
        var traceDir = new Option<DirectoryInfo>("--trace") { Description = "The Venus trace folder (venus_throughput_apr_aug_2020.csv, venus_vc_gpu_nodes.csv).", Required = true };
        var fromDay = new Option<int>("--from-day") { Description = "First day of the trace to replay (0 = 1 April 2020).", DefaultValueFactory = _ => 0 };
        var days = new Option<double>("--days") { Description = "Days of arrivals to replay.", DefaultValueFactory = _ => 7 };
        var scale = new Option<double>("--arrival-scale") { Description = "Compress arrivals by this factor to load the cluster harder (2 = twice as fast).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the drawn sizes, runtimes and queues.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var fairShare = new Option<bool>("--fair-share-preemption") { Description = "Also preempt borrowers for fair share (off by default; reclaim and priority preemption stay on)." };
        var replay = new Command("replay", "Replay a job trace on the twin: our scheduler against FIFO on the same jobs.") { fleet, traceDir, fromDay, days, scale, seed, json, fairShare };
        replay.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var dir = parse.GetValue(traceDir)!;
                var trace = VenusTrace.Load(Path.Combine(dir.FullName, "venus_throughput_apr_aug_2020.csv"), Path.Combine(dir.FullName, "venus_vc_gpu_nodes.csv"));
                var spec = parse.GetValue(fleet) is { } f ? FleetSpecReader.ReadFile(f.FullName) : FleetSpecReader.Parse(VenusFleet);
                var topology = FleetGenerator.Generate(spec);
                var jobs = trace.Jobs(parse.GetValue(seed), parse.GetValue(fromDay), parse.GetValue(days), parse.GetValue(scale));
                var horizon = TimeSpan.FromDays(parse.GetValue(days) / parse.GetValue(scale) + 30);
                var results = new List<TraceReplay.Result>();
                var ours = new SchedulerOptions { FairSharePreemption = parse.GetValue(fairShare) };
                foreach (var options in new[] { ours, new SchedulerOptions { Policy = SchedulingPolicy.Fifo } })
                {
                    var data = Directory.CreateTempSubdirectory("neocloud-replay-");
                    try
                    {
                        results.Add(await TraceReplay.RunAsync(topology, jobs, trace.VirtualClusters, options, parse.GetValue(seed), horizon, data.FullName, cancellationToken));
                    }
                    finally
                    {
                        data.Delete(recursive: true);
                    }
                }

                output.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }) : Table(results, jobs.Count, topology.GpuCount));
                return 0;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine($"neocloud bench replay: {ex.Message}");
                return 1;
            }
        });
        return replay;
    }

    private static string Table(IReadOnlyList<TraceReplay.Result> results, int jobs, int gpus)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"trace replay: {jobs:N0} jobs on {gpus:N0} GPUs");
        text.AppendLine(c, $"{"policy",-10}{"done",8}{"failed",8}{"preempt",9}{"JCT mean",12}{"JCT p99",12}{"wait mean",12}{"wait p99",12}{"util",8}{"makespan",11}{"wall",8}");
        foreach (var r in results)
        {
            text.AppendLine(c, $"{r.Policy,-10}{r.Completed,8}{r.Failed,8}{r.Preempted,9}{r.MeanJctSeconds / 3600,11:F2}h{r.P99JctSeconds / 3600,11:F2}h{r.MeanWaitSeconds / 3600,11:F2}h{r.P99WaitSeconds / 3600,11:F2}h{r.Utilisation,8:P1}{r.MakespanHours,10:F1}h{r.WallSeconds,7:F1}s");
        }

        foreach (var r in results.Where(r => r.Preempted > 0))
        {
            text.AppendLine(c, $"{r.Policy} preemptions: {string.Join(", ", r.PreemptionsByReason.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }

        foreach (var r in results.Where(r => r.Failed > 0))
        {
            text.AppendLine(c, $"{r.Policy} failures: {string.Join(", ", r.FailuresByReason.Select(kv => $"{kv.Value} × {kv.Key}"))}");
        }

        if (results.Count == 2 && results[1].MeanJctSeconds > 0)
        {
            text.AppendLine(c, $"ours ÷ fifo: JCT mean {results[0].MeanJctSeconds / results[1].MeanJctSeconds:F2}, JCT p99 {results[0].P99JctSeconds / Math.Max(1, results[1].P99JctSeconds):F2}, wait mean {results[0].MeanWaitSeconds / Math.Max(1, results[1].MeanWaitSeconds):F2}");
        }

        return text.ToString();
    }

    private const string VenusFleet = """
        apiVersion: neocloud.dev/v1
        kind: Fleet
        metadata: { name: venus }
        spec:
          regions:
            - name: apse1
              displayName: Asia Pacific South East 1
              sites:
                - name: dc1
                  pods: 3
                  racksPerPod: 9
                  nodesPerRack: 5
                  skuMix: [ { sku: h100-sxm5-80gb, percent: 100 } ]
                  fabric: { kind: infiniband, rails: 8, nodesPerLeafGroup: 15, spinesPerPod: 8, linkSpeedGbps: 400 }
        """;
}
