using System.Globalization;
using NeoCloud.Simulator.Randomness;

namespace NeoCloud.Simulator.Replay;

/// <summary>
/// The Venus cluster trace of the Helios study (SenseTime, Apr–Aug 2020): GPU jobs and GPUs submitted every 10 minutes,
/// and the GPU nodes of each virtual cluster. It has arrivals and demand but no per-job sizes or runtimes, so
/// <see cref="Jobs"/> draws those: sizes are powers of two that add up to each bucket's GPU demand, runtimes are
/// log-normal with Helios's published median (206 s) and mean (6,652 s).
/// </summary>
public sealed class VenusTrace
{
    /// <summary>Helios GPU jobs: median run 206 s, mean 6,652 s (FACTS.md); a log-normal with both has σ² = 2·ln(mean/median).</summary>
    public const double MedianRuntimeSeconds = 206;

    public const double MeanRuntimeSeconds = 6652;

    /// <summary>Largest gang drawn: eight 8-GPU nodes.</summary>
    public const int MaxJobGpus = 64;

    private static readonly TimeSpan Bucket = TimeSpan.FromMinutes(10);

    private VenusTrace(IReadOnlyList<(DateTime At, int Jobs, int Gpus)> buckets, IReadOnlyList<(string Name, int Nodes)> clusters)
    {
        Buckets = buckets;
        VirtualClusters = clusters;
    }

    /// <summary>Submitted GPU jobs and GPUs per 10-minute bucket.</summary>
    public IReadOnlyList<(DateTime At, int Jobs, int Gpus)> Buckets { get; }

    /// <summary>Each virtual cluster (a tenant queue in the replay) and its GPU nodes.</summary>
    public IReadOnlyList<(string Name, int Nodes)> VirtualClusters { get; }

    public int TotalNodes => VirtualClusters.Sum(v => v.Nodes);

    /// <summary>Reads <c>venus_throughput_apr_aug_2020.csv</c> and <c>venus_vc_gpu_nodes.csv</c>; errors name the file and line.</summary>
    public static VenusTrace Load(string throughputCsv, string clustersCsv)
    {
        var buckets = new List<(DateTime, int, int)>();
        var lines = File.ReadAllLines(throughputCsv);
        var header = lines.Length > 0 ? lines[0].Split(',') : [];
        int time = Array.IndexOf(header, "time"), jobs = Array.IndexOf(header, "submit_gpu_job"), gpus = Array.IndexOf(header, "submit_gpu_num");
        if (time < 0 || jobs < 0 || gpus < 0)
        {
            throw new FormatException($"{throughputCsv}:1: expected columns time, submit_gpu_job and submit_gpu_num");
        }

        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split(',');
            if (f.Length != header.Length
                || !DateTime.TryParse(f[time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                || !int.TryParse(f[jobs], CultureInfo.InvariantCulture, out int j) || j < 0
                || !int.TryParse(f[gpus], CultureInfo.InvariantCulture, out int g) || g < 0)
            {
                throw new FormatException($"{throughputCsv}:{i + 1}: expected a time and non-negative job and GPU counts, got '{lines[i]}'");
            }

            buckets.Add((at, j, g));
        }

        var clusters = new List<(string, int)>();
        var vcLines = File.ReadAllLines(clustersCsv);
        for (int i = 1; i < vcLines.Length; i++)
        {
            if (vcLines[i].Length == 0)
            {
                continue;
            }

            var f = vcLines[i].Split(',');
            if (f.Length != 2 || f[0].Length == 0 || !int.TryParse(f[1], CultureInfo.InvariantCulture, out int nodes) || nodes <= 0)
            {
                throw new FormatException($"{clustersCsv}:{i + 1}: expected 'name,nodes' with nodes > 0, got '{vcLines[i]}'");
            }

            clusters.Add((f[0], nodes));
        }

        if (buckets.Count == 0 || clusters.Count == 0)
        {
            throw new FormatException($"{throughputCsv} / {clustersCsv}: no buckets or no virtual clusters");
        }

        return new VenusTrace(buckets, clusters);
    }

    /// <summary>
    /// The jobs of <paramref name="days"/> days from day <paramref name="fromDay"/>, with arrivals compressed by
    /// <paramref name="arrivalScale"/> (2 = twice as fast, to load the cluster harder). Each job goes to a virtual cluster
    /// with probability proportional to its nodes. Deterministic for a seed.
    /// </summary>
    public IReadOnlyList<TraceJob> Jobs(int seed, int fromDay, double days, double arrivalScale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromDay);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(arrivalScale);
        var rng = SimRandom.For(seed, 41);
        double sigma = Math.Sqrt(2 * Math.Log(MeanRuntimeSeconds / MedianRuntimeSeconds));
        double mu = Math.Log(MedianRuntimeSeconds);
        var weights = VirtualClusters.Select(v => (double)v.Nodes).ToArray();
        double weightTotal = weights.Sum();
        var start = Buckets[0].At.AddDays(fromDay);
        var end = start.AddDays(days);
        var jobs = new List<TraceJob>();
        var sizes = new List<int>();
        foreach (var (at, count, gpus) in Buckets)
        {
            if (at < start || at >= end || count == 0)
            {
                continue;
            }

            Sizes(count, Math.Max(count, gpus), sizes, ref rng);
            foreach (int size in sizes)
            {
                double offset = (at - start + (Bucket * rng.NextDouble())).TotalSeconds / arrivalScale;
                double runtime = Math.Clamp(Math.Exp(mu + (sigma * rng.NextGaussian())), 10, TimeSpan.FromDays(3).TotalSeconds);
                string queue = VirtualClusters[rng.NextWeighted(weights, weightTotal)].Name;
                jobs.Add(new TraceJob($"venus-{jobs.Count:D6}", TimeSpan.FromSeconds(Math.Round(offset)), queue, size, TimeSpan.FromSeconds(Math.Round(runtime))));
            }
        }

        jobs.Sort((a, b) => a.Arrival.CompareTo(b.Arrival));
        return jobs;
    }

    // Sizes start at one GPU each; random jobs double until the bucket's demand is spent (powers of two, at most 64).
    private static void Sizes(int count, int gpus, List<int> sizes, ref SimRandom rng)
    {
        sizes.Clear();
        for (int i = 0; i < count; i++)
        {
            sizes.Add(1);
        }

        int left = gpus - count;
        for (int attempts = 0; left > 0 && attempts < 64 * count; attempts++)
        {
            int j = rng.NextInt(count);
            int s = sizes[j];
            if (s < MaxJobGpus && s <= left)
            {
                sizes[j] = s * 2;
                left -= s;
            }
        }
    }
}
