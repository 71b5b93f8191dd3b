using System.Diagnostics;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Topology;

namespace NeoCloud.Benchmarks.Scheduling;

/// <summary>
/// Single-decision latency of gang placement (Stopwatch around each TryPlace on the churned 10k-node cluster), printed
/// as percentiles per gang kind, with sustained replicas/s including releases. Run with the argument <c>gang-latency</c>.
/// </summary>
public static class GangLatency
{
    private static readonly string[] Kinds = ["1x1 GPU", "1x fraction", "1x8 GPU", "2..16x8 GPU", "1..4x4 GPU", "all"];

    public static void Run(int decisions = 200_000)
    {
        Run(decisions, 0.70, 0.90);
        Console.WriteLine();
        Run(decisions, 0.78, 0.98);
    }

    private static void Run(int decisions, double low, double high)
    {
        var churn = new GangChurn(low: low, high: high);
        churn.FillTo((low + high) / 2);
        for (int i = 0; i < 20_000; i++)
        {
            churn.Step();
        }

        var ticks = Kinds.Select(_ => new List<long>(decisions)).ToArray();
        long placedReplicas = 0, refused = 0;
        var levels = new long[7];
        int collections = GC.CollectionCount(0);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < decisions; i++)
        {
            var gang = churn.NextGang();
            long before = Stopwatch.GetTimestamp();
            var placement = churn.Placer.TryPlace(gang);
            long took = Stopwatch.GetTimestamp() - before;
            churn.Placed(gang, placement);
            ticks[Kind(gang)].Add(took);
            ticks[^1].Add(took);
            if (placement is null)
            {
                refused++;
            }
            else
            {
                placedReplicas += gang.Replicas;
                if (gang.Replicas > 1 && gang.Replica.GpuCount == 8)
                {
                    levels[placement.Level is { } level ? (int)level : 6]++;
                }
            }
        }

        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        collections = GC.CollectionCount(0) - collections;
        long overOneMs = ticks[^1].Count(t => t * 1000 >= Stopwatch.Frequency);
        double decisionSeconds = (double)ticks[^1].Sum() / Stopwatch.Frequency;
        Console.WriteLine($"gang decisions: {decisions:N0} on {GangChurn.Nodes:N0} nodes x 8 GPUs, allocation band {low:P0}-{high:P0}, fill {churn.Fill:P1} at the end, refused {refused:N0} ({(double)refused / decisions:P1})");
        Console.WriteLine($"multi-node 8-GPU gangs placed within one: leaf {levels[(int)TopologyLevel.Leaf]:N0}, block {levels[(int)TopologyLevel.Block]:N0} (block is required)");
        Console.WriteLine($"replicas placed {placedReplicas:N0}; with releases {placedReplicas / wall:N0} replicas/s ({decisions / wall:N0} gangs/s); decisions alone {placedReplicas / decisionSeconds:N0} replicas/s");
        // On a shared machine the rare multi-millisecond maxima are the OS taking the core away (they come in whole
        // scheduler ticks and with no collection during them), so the load average is printed beside them.
        Console.WriteLine($"decisions over 1 ms: {overOneMs:N0}; gen0 collections during the run: {collections}; load average: {LoadAverage()}");
        Console.WriteLine($"{"kind",-14}{"count",10}{"p50 us",10}{"p90 us",10}{"p99 us",10}{"p99.9 us",10}{"max us",10}");
        for (int k = 0; k < Kinds.Length; k++)
        {
            var sorted = ticks[k].ToArray();
            Array.Sort(sorted);
            if (sorted.Length == 0)
            {
                continue;
            }

            Console.WriteLine($"{Kinds[k],-14}{sorted.Length,10:N0}{Micros(sorted, 0.50),10:F1}{Micros(sorted, 0.90),10:F1}{Micros(sorted, 0.99),10:F1}{Micros(sorted, 0.999),10:F1}{Micros(sorted, 1.0),10:F1}");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Micros(long[] sorted, double quantile)
    {
        int i = Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1);
        return sorted[Math.Max(i, 0)] * 1e6 / Stopwatch.Frequency;
    }

    private static int Kind(GangRequest gang) => gang.Replica.GpuCount switch
    {
        _ when gang.Replica.GpuMilli < 1000 => 1,
        1 => 0,
        8 when gang.Replicas == 1 => 2,
        8 => 3,
        _ => 4,
    };
}
