using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NeoCloud.Fleet.Spec;
using NeoCloud.Fleet.Topology;
using NeoCloud.Scheduling.Cycles;
using NeoCloud.Scheduling.Fragmentation;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Metrics;
using NeoCloud.Scheduling.Placement;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Scheduling.Topology;
using NeoCloud.Workloads.Placement;

namespace NeoCloud.Server.Bench;

/// <summary>
/// <c>neocloud bench scheduler</c>: the scheduler as the host runs it — <see cref="ClusterScheduler"/> over
/// <see cref="TopologyGangPlacer"/> on a generated fleet — with a deep backlog of mixed gangs across many queues. It
/// fills the cluster, then churns (a share of the running work ends before every cycle) and reports replicas placed
/// per second of scheduling time and the latency of each placement decision.
/// </summary>
internal static class SchedulerBench
{
    public sealed record Result(
        int Nodes,
        int Gpus,
        int Pending,
        int Queues,
        int Cycles,
        long WorkloadsStarted,
        long ReplicasStarted,
        double SchedulingSeconds,
        double ReplicasPerSecond,
        double DecisionP50Ms,
        double DecisionP99Ms,
        double DecisionMaxMs,
        double CycleP50Ms,
        double CycleP99Ms,
        double SubmitPerSecond,
        double FinalAllocation,
        int StillPending,
        double WallSeconds);

    public static Command Create()
    {
        var fleet = new Option<FileInfo?>("--fleet") { Description = "A kind: Fleet file (default: the default fleet's shape at 10,000 nodes)." };
        var pending = new Option<int>("--pending") { Description = "Jobs waiting when the run starts.", DefaultValueFactory = _ => 100_000 };
        var queues = new Option<int>("--queues") { Description = "Queues, in cohorts of ten.", DefaultValueFactory = _ => 50 };
        var cycles = new Option<int>("--cycles") { Description = "Churn cycles after the first fill.", DefaultValueFactory = _ => 30 };
        var churn = new Option<double>("--churn") { Description = "Share of running workloads that end before each churn cycle.", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { Description = "Seed of the job mix.", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var policy = new Option<SchedulingPolicy>("--policy") { Description = "neocloud (fair share, preemption, backfill) or fifo.", DefaultValueFactory = _ => SchedulingPolicy.NeoCloud };
        var noPreemption = new Option<bool>("--no-preemption") { Description = "Turn preemption off (to see its cost)." };
        var noBackfill = new Option<bool>("--no-backfill") { Description = "Turn backfill off (to see its cost)." };
        var candidates = new Option<int>("--candidates") { Description = "Candidate nodes the fragmentation scorer ranks per single-node replica (0: no scorer, plain best fit).", DefaultValueFactory = _ => TopologyGangPlacer.DefaultScorerCandidates };
        var command = new Command("scheduler", "Gangs placed per second and decision latency with a deep backlog on a large fleet.")
        {
            fleet, pending, queues, cycles, churn, seed, json, policy, noPreemption, noBackfill, candidates,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var spec = parse.GetValue(fleet) is { } f ? FleetSpecReader.ReadFile(f.FullName) : DefaultFleet.ScaledTo(10_000);
                var options = new SchedulerOptions { Policy = parse.GetValue(policy), Preemption = !parse.GetValue(noPreemption), Backfill = !parse.GetValue(noBackfill) };
                var result = Run(FleetGenerator.Generate(spec), parse.GetValue(pending), parse.GetValue(queues), parse.GetValue(cycles), parse.GetValue(churn), parse.GetValue(seed), options, parse.GetValue(candidates), cancellationToken);
                output.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }) : Table(result));
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or Kernel.Manifests.SpecException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"neocloud bench scheduler: {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    public static Result Run(
        FleetTopology fleet, int pendingJobs, int queueCount, int churnCycles, double churn, int seed, SchedulerOptions options, int candidates,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pendingJobs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueCount);
        ArgumentOutOfRangeException.ThrowIfNegative(churnCycles);
        if (churn is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(churn), churn, "the churn is a share between 0 and 1");
        }

        var wall = Stopwatch.StartNew();
        var decisions = new List<double>(pendingJobs);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SchedulingMetrics.MeterName && instrument.Name.EndsWith("placement_seconds", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => decisions.Add(value));
        listener.Start();

        using var metrics = new SchedulingMetrics();
        var placer = new TopologyGangPlacer(new ClusterTopology(FleetPlacementView.Nodes(fleet)));
        var scheduler = new ClusterScheduler(placer, options, metrics);
        scheduler.Apply(QueueManifestReader.Parse(Queues(fleet, queueCount)));

        var rng = new Random(seed);
        var models = fleet.Nodes.Select(n => n.Sku).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var gangs = new Dictionary<string, int>(pendingJobs, StringComparer.Ordinal);
        var workloads = new List<PendingWorkload>(pendingJobs);
        for (int i = 0; i < pendingJobs; i++)
        {
            workloads.Add(Job(i, rng, models, queueCount, start));
        }

        if (candidates > 0)
        {
            // As the host does: the fragmentation scorer learns the typical shapes from the work submitted.
            placer.Scorer = new FragmentationScorer(placer.Snapshot, TypicalTasks.From(workloads.Select(w => w.Gang.Replica)));
            placer.ScorerCandidates = candidates;
        }

        var submit = Stopwatch.StartNew();
        foreach (var workload in workloads)
        {
            gangs[workload.Id] = workload.Gang.Replicas;
            scheduler.Submit(workload);
        }

        double submitPerSecond = pendingJobs / submit.Elapsed.TotalSeconds;
        var running = new List<string>();
        var cycleTimes = new List<double>();
        long started = 0, replicas = 0;
        double schedulingSeconds = 0;
        var now = start.AddMinutes(1);
        for (int cycle = 0; cycle <= churnCycles; cycle++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cycle > 0)
            {
                // A share of the running work ends, in random order, so capacity frees all over the fleet.
                int ending = (int)(running.Count * churn);
                for (int e = 0; e < ending; e++)
                {
                    int pick = rng.Next(running.Count);
                    scheduler.Finished(running[pick], now);
                    running[pick] = running[^1];
                    running.RemoveAt(running.Count - 1);
                }
            }

            long began = Stopwatch.GetTimestamp();
            var result = scheduler.RunCycle(now);
            double seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
            cycleTimes.Add(seconds * 1000);
            schedulingSeconds += seconds;
            foreach (var workload in result.Started)
            {
                running.Add(workload.Id);
                started++;
                replicas += gangs[workload.Id];
            }

            foreach (var preempted in result.Preemptions)
            {
                running.Remove(preempted.VictimId);
            }

            now = now.AddMinutes(5);
        }

        var snapshot = placer.Snapshot;
        return new Result(
            fleet.Nodes.Count, fleet.GpuCount, pendingJobs, queueCount, churnCycles + 1, started, replicas, schedulingSeconds,
            schedulingSeconds == 0 ? 0 : replicas / schedulingSeconds,
            Percentile(decisions, 0.50) * 1000, Percentile(decisions, 0.99) * 1000, (decisions.Count == 0 ? 0 : decisions.Max()) * 1000,
            Percentile(cycleTimes, 0.50), Percentile(cycleTimes, 0.99), submitPerSecond,
            (double)snapshot.GpuAllocatedMilli / snapshot.GpuCapacityMilli, scheduler.PendingCount, wall.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The job mix: single GPUs and shares (inference, notebooks), whole nodes, and multi-node training gangs that want
    /// (or need) one leaf or block; a third pinned to one GPU model; one in ten at high priority.
    /// </summary>
    private static PendingWorkload Job(int i, Random rng, string[] models, int queues, DateTimeOffset start)
    {
        double roll = rng.NextDouble();
        (int Replicas, int Gpus, int Milli, TopologyRequirement[] Topology) shape = roll switch
        {
            < 0.30 => (1, 1, 1000, Array.Empty<TopologyRequirement>()),
            < 0.40 => (1, 1, 500, Array.Empty<TopologyRequirement>()),
            < 0.50 => (1, 4, 1000, Array.Empty<TopologyRequirement>()),
            < 0.75 => (1, 8, 1000, Array.Empty<TopologyRequirement>()),
            < 0.90 => (rng.Next(2, 5), 8, 1000, new[] { new TopologyRequirement(TopologyLevel.Leaf, TopologyMode.Preferred) }),
            < 0.98 => (rng.Next(8, 17), 8, 1000, new[] { new TopologyRequirement(TopologyLevel.Leaf, TopologyMode.Required) }),
            _ => (32, 8, 1000, new[] { new TopologyRequirement(TopologyLevel.Block, TopologyMode.Required) }),
        };
        var (replicas, gpus, milli, topology) = shape;
        string[]? model = rng.NextDouble() < 0.3 ? [models[rng.Next(models.Length)]] : null;
        var replica = new PlacementRequest(gpus * 8_000, gpus * 64 * 1024, gpus, milli, model);
        string id = $"bench-{i:D6}";
        var estimate = TimeSpan.FromMinutes(10 * Math.Pow(72, rng.NextDouble()));
        return new PendingWorkload(
            id, $"q{i % queues:D2}", rng.NextDouble() < 0.1 ? 1000 : 100, true, new GangRequest(id, replicas, replica, topology),
            start.AddMilliseconds(i), estimate, estimate * 2, TimeSpan.FromMinutes(10));
    }

    /// <summary>Queues in cohorts of ten; each queue's nominal quota is its even share of every GPU model, and it may borrow the rest.</summary>
    private static string Queues(FleetTopology fleet, int queues)
    {
        var perModel = fleet.Nodes.GroupBy(n => n.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(n => n.GpuCount), StringComparer.Ordinal);
        var text = new StringBuilder();
        for (int c = 0; c < (queues + 9) / 10; c++)
        {
            text.Append(CultureInfo.InvariantCulture, $"---\napiVersion: neocloud.dev/v1\nkind: Cohort\nmetadata: {{ name: c{c} }}\n");
        }

        for (int q = 0; q < queues; q++)
        {
            text.Append(CultureInfo.InvariantCulture, $"---\napiVersion: neocloud.dev/v1\nkind: Queue\nmetadata: {{ name: q{q:D2} }}\nspec:\n  tenant: t{q:D2}\n  cohort: c{q / 10}\n  quotas:\n");
            foreach (var (model, gpus) in perModel.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"    - {{ flavour: {model}, nominal: {Math.Round((double)gpus / queues, 2)} }}\n");
            }
        }

        return text.ToString();
    }

    private static string Table(Result r)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"scheduler bench: {r.Nodes:N0} nodes, {r.Gpus:N0} GPUs, {r.Pending:N0} pending jobs in {r.Queues} queues, {r.Cycles} cycles");
        text.AppendLine(c, $"started            {r.WorkloadsStarted:N0} workloads, {r.ReplicasStarted:N0} replicas in {r.SchedulingSeconds:F2} s of scheduling");
        text.AppendLine(c, $"throughput         {r.ReplicasPerSecond:N0} replicas/s (target >= 20,000)");
        text.AppendLine(c, $"decision latency   p50 {r.DecisionP50Ms:F3} ms, p99 {r.DecisionP99Ms:F3} ms (target < 5 ms), max {r.DecisionMaxMs:F1} ms");
        text.AppendLine(c, $"cycle time         p50 {r.CycleP50Ms:F1} ms, p99 {r.CycleP99Ms:F1} ms");
        text.AppendLine(c, $"submit             {r.SubmitPerSecond:N0} jobs/s into the scheduler");
        text.AppendLine(c, $"end state          {r.FinalAllocation:P1} of GPUs allocated, {r.StillPending:N0} still pending; wall {r.WallSeconds:F1} s");
        return text.ToString();
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];
    }
}
