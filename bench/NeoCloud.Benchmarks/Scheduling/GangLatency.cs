using System.Diagnostics;
using NeoCloud.Scheduling.Gangs;

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
        var churn = new GangChurn();
        churn.FillTo(0.80);
        for (int i = 0; i < 20_000; i++)
        {
            churn.Step();
        }

        var ticks = Kinds.Select(_ => new List<long>(decisions)).ToArray();
        long placedReplicas = 0, refused = 0;
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
            }
        }

        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double decisionSeconds = (double)ticks[^1].Sum() / Stopwatch.Frequency;
        Console.WriteLine($"gang decisions: {decisions:N0} on {GangChurn.Nodes:N0} nodes x 8 GPUs, fill {churn.Fill:P1} at the end, refused {refused:N0} ({(double)refused / decisions:P1})");
        Console.WriteLine($"replicas placed {placedReplicas:N0}; with releases {placedReplicas / wall:N0} replicas/s ({decisions / wall:N0} gangs/s); decisions alone {placedReplicas / decisionSeconds:N0} replicas/s");
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
